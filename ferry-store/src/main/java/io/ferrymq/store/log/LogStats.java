package io.ferrymq.store.log;

/**
 * Counters of the writer since the log was opened, for metrics (rates are differences over time).
 *
 * @param fsyncs          forces of segment files done to complete batches
 * @param records         records written
 * @param bytes           bytes of records written
 * @param durablePosition everything below this position is on disk
 */
public record LogStats(long fsyncs, long records, long bytes, long durablePosition) {

    /** The average group-commit batch since the log was opened. */
    public double recordsPerFsync() {
        return fsyncs == 0 ? 0 : (double) records / fsyncs;
    }
}
