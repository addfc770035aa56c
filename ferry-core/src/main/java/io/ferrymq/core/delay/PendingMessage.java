package io.ferrymq.core.delay;

import io.ferrymq.core.Message;

import java.util.concurrent.CompletableFuture;

/**
 * One message a delayed exchange holds, as small as the index allows: once its store write completed, only its due
 * time, sequence, store address and size stay in memory, never its body. Guarded by its exchange's lock.
 */
final class PendingMessage implements Comparable<PendingMessage> {
    static final long NO_ADDRESS = -1;

    final long dueAt;
    final long sequence;
    final int size;
    /** The store address once the write completed, else {@link #NO_ADDRESS}. */
    long address = NO_ADDRESS;
    /** The store write in flight, until it completes. */
    CompletableFuture<Long> writing;
    /** The message while it is not (yet) in the store: transient, or its write is in flight; else null. */
    Message message;

    /** Due time first; messages due at the same time in the order they were published. */
    @Override
    public int compareTo(PendingMessage other) {
        if (dueAt != other.dueAt) {
            return dueAt < other.dueAt ? -1 : 1;
        }
        return Long.compare(sequence, other.sequence);
    }

    PendingMessage(long dueAt, long sequence, int size, Message message) {
        this.dueAt = dueAt;
        this.sequence = sequence;
        this.size = size;
        this.message = message;
    }
}
