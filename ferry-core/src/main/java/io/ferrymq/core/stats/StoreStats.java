package io.ferrymq.core.stats;

/**
 * The message store's counters since it opened, for metrics.
 *
 * @param fsyncs    forces of the log (one per group-commit batch)
 * @param records   records written
 * @param bytes     bytes of records written
 * @param segments  segment files on disk
 * @param diskBytes bytes of the segment files
 */
public record StoreStats(long fsyncs, long records, long bytes, int segments, long diskBytes) {
    /** A broker without a store. */
    public static final StoreStats NONE = new StoreStats(0, 0, 0, 0, 0);
}
