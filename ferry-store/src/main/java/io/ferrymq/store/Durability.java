package io.ferrymq.store;

/** When the future of a write completes. */
public enum Durability {
    /** Once the record is on disk ({@code force} returned): the only completion a confirm may wait for. */
    SYNC,
    /**
     * Once the record is written in order (readable, but not forced). It becomes durable with the next forced
     * write; use {@code sync()} as a barrier. For records that need ordering but not their own fsync.
     */
    LAZY
}
