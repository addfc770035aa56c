package io.ferrymq.store.log;

import io.ferrymq.store.Durability;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only log of typed records, each addressed by one {@code long} (its global position). Appends from any
 * thread are written in submission order by one writer thread, which forces the file once per batch (group
 * commit). Every future this interface returns is completed on that writer thread: keep dependents short and
 * never block in them on another write of the same log.
 */
public interface Log extends AutoCloseable {

    /**
     * Appends one record. The payload's remaining bytes are copied before this returns.
     *
     * @return completes with the record's address once it is durable ({@link Durability#SYNC}) or written
     *         ({@link Durability#LAZY}); completes exceptionally with a {@link io.ferrymq.store.StoreException} if
     *         the write or the force failed, in which case the record may or may not survive a crash
     */
    CompletableFuture<Long> append(byte type, byte flags, ByteBuffer payload, Durability durability);

    /**
     * Runs {@code task} on the writer thread, in order with appends. Its future completes with the task's result
     * once everything it wrote is durable ({@code SYNC}) or written ({@code LAZY}). A task that throws an unchecked
     * exception must not have written anything; an {@link java.io.IOException} fails the log.
     */
    <T> CompletableFuture<T> submit(LogTask<T> task, Durability durability);

    /** Completes once everything submitted before it is durable. */
    default CompletableFuture<Void> sync() {
        return submit(writer -> null, Durability.SYNC);
    }

    /** Reads the record at {@code address}, checking its CRC; through the read cache. Any thread. */
    LogRecord read(long address);

    /**
     * Reads the header and the first {@code payloadBytes} of the payload (or more, if cached) of the record at
     * {@code address}, without checking the CRC (which covers the whole payload). Any thread.
     */
    LogRecord peek(long address, int payloadBytes);

    /** Everything below this position is on disk. */
    long durablePosition();

    LogStats stats();

    /** Writes what was submitted, forces it, stops the writer thread and closes the files. */
    @Override
    void close();
}
