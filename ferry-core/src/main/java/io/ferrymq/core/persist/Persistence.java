package io.ferrymq.core.persist;

import io.ferrymq.core.stats.StoreStats;

import java.nio.ByteBuffer;
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

    /**
     * Writes {@code changes} as one atomic unit (G5): after a crash either all of them took effect or none did.
     * Deletes wait for their adds' addresses first; a delete whose add failed is left out (nothing was stored).
     *
     * @return once the unit is durable: per change, the address of the entry added (or -1 for a delete, or when
     *         nothing is stored); fails, writing nothing, if a delete no longer matches a live entry or the store
     *         failed
     */
    CompletableFuture<long[]> writeAtomically(List<StoredChange> changes);

    /** How many deletes were asked for so far: a session compares it before and after an operation. */
    long deletesRequested();

    /** Completes once every delete asked for before this call is durable. */
    CompletableFuture<Void> barrier();

    /** The payload of the entry stored at {@code address} (as {@link #add} reported it, or as recovered). */
    ByteBuffer read(long address);

    /**
     * Opens the store and hands what it held to {@code handler}: every metadata record, then every entry. Called
     * once, before any write.
     *
     * @throws java.io.UncheckedIOException or a {@link io.ferrymq.store.StoreException} when the store cannot be
     *                                      opened (an unknown format version, a locked or unreadable file)
     */
    void recover(RecoveryHandler handler);

    /** The store's counters for metrics; {@link StoreStats#NONE} without a store. */
    default StoreStats stats() {
        return StoreStats.NONE;
    }

    @Override
    void close();
}
