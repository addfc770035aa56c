package io.ferrymq.store.journal;

import io.ferrymq.store.Durability;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable entries of opaque streams, plus a little keyed metadata. Every method may be called from any thread.
 * Every returned future completes on the store's writer thread (so keep dependents short, and never wait in one
 * for another write of this journal); it completes exceptionally with a {@link io.ferrymq.store.StoreException}
 * when the disk failed, in which case the write may or may not survive a crash, or with an
 * {@link IllegalArgumentException} when the request was wrong (it then wrote nothing).
 */
public interface Journal extends AutoCloseable {

    /**
     * Stores entry {@code entry} of stream {@code stream}. The body's remaining bytes are copied (and compressed if
     * large) before this returns. The pair (stream, entry) must not be live already.
     *
     * @return the entry's address, once durable ({@code SYNC}: what a publisher confirm waits for) or once
     *         written in order ({@code LAZY})
     */
    CompletableFuture<Long> add(long stream, long entry, ByteBuffer body, Durability durability);

    /**
     * Deletes the entry stored at {@code address} (as {@link #add} returned it, or as a relocation or replay
     * reported it; an older address of a moved entry still works). {@code stream} and {@code entry} are checked
     * against the record, so a wrong address fails instead of deleting another entry.
     *
     * @return completes once the delete is durable ({@code SYNC}) or written in order ({@code LAZY}; durable with
     *         the next {@link #sync})
     */
    CompletableFuture<Void> delete(long stream, long entry, long address, Durability durability);

    /**
     * Writes the adds and deletes of {@code ops} as one atomic, durable unit: after a crash either all of them
     * took effect or none did. Each add's body is copied (and compressed if large) before this returns; each
     * delete is checked as {@link #delete} checks it, and if any check fails the whole batch fails with an
     * {@link IllegalArgumentException} and writes nothing. A batch cannot delete an entry it adds.
     *
     * @return once the batch is durable: per operation, the address of the entry added, or of the entry deleted
     */
    CompletableFuture<long[]> writeBatch(List<BatchOp> ops);

    /** The body of the entry at {@code address} (decompressed), from the read cache or the disk. */
    ByteBuffer read(long address);

    /** Makes {@code value} the current value of metadata {@code key}, replacing any older one; durable. */
    CompletableFuture<Long> putMetadata(long key, ByteBuffer value);

    /** Removes metadata {@code key}; completes with whether it existed, once durable. */
    CompletableFuture<Boolean> removeMetadata(long key);

    /** Completes once everything submitted before it is durable (the barrier for {@code LAZY} writes). */
    CompletableFuture<Void> sync();

    /** Writes a checkpoint now (one is also written every {@code checkpointIntervalBytes} appended). */
    CompletableFuture<Void> checkpoint();

    JournalStats stats();

    /** What recovery found when this journal was opened. */
    RecoveryReport recovery();

    /**
     * Shuts down cleanly: waits for what was submitted, writes a final checkpoint and the clean-shutdown marker,
     * stops the writer. Later calls fail.
     */
    @Override
    void close();
}
