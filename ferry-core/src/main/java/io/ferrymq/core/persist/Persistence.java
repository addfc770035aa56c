package io.ferrymq.core.persist;

import io.ferrymq.core.stats.StoreStats;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the broker keeps what must survive a restart: topology as keyed metadata, persistent messages as entries
 * of per-queue streams. Thread-safe. Futures may complete on a store thread: dependents must be short and must not
 * wait for another write.
 *
 * <p>Keys: {@link #newKey()} hands out broker-wide unique 64-bit ids, never reused within a run and always above
 * every key recovered; an exchange, queue or binding record is stored under its object's id, and a durable
 * queue's messages form the stream whose id is the queue's key. A message's entry id is its sequence in the queue.
 */
public interface Persistence extends AutoCloseable {

    /** Messages and topology in memory only: every write is a completed no-op. */
    Persistence NONE = new NoPersistence();

    /** Whether writes go anywhere (false for {@link #NONE}): when false, callers may skip encoding. */
    boolean durable();

    long newKey();

    /** Stores a metadata record under {@code key}; completes once durable. */
    CompletableFuture<Void> put(long key, byte[] record);

    /** Removes a metadata record; completes once durable. */
    CompletableFuture<Void> remove(long key);

    /** Stores a message entry; completes with its address once durable (fsync; what a confirm waits for). */
    CompletableFuture<Long> add(long stream, long entry, byte[] payload);

    /**
     * Deletes an entry, once {@code address} is known, without its own fsync (it becomes durable with the next
     * forced write; {@link #barrier()} waits for that). Failures are logged, never reported.
     */
    void delete(long stream, long entry, CompletableFuture<Long> address);

    /** How many deletes were asked for so far: a session compares it before and after an operation. */
    long deletesRequested();

    /** Completes once every delete asked for before this call is durable. */
    CompletableFuture<Void> barrier();

    /** The store's counters for metrics; {@link StoreStats#NONE} without a store. */
    default StoreStats stats() {
        return StoreStats.NONE;
    }

    /** What the store held at start: metadata records in store order, then the entries. Taken once. */
    Recovered takeRecovered();

    @Override
    void close();

    /** One metadata record found at start. */
    record RecoveredRecord(long key, byte[] record) {
    }

    /** One message entry found at start. */
    record RecoveredEntry(long stream, long entry, long address, byte[] payload) {
    }

    /** Everything found at start. */
    record Recovered(List<RecoveredRecord> records, List<RecoveredEntry> entries) {
        public static final Recovered EMPTY = new Recovered(List.of(), List.of());
    }
}
