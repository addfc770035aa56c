package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

import java.util.concurrent.CompletableFuture;

/**
 * One message's place in one queue. Guarded by the lock of the queue that holds it (the
 * {@link QueueMachine} is its only writer).
 *
 * <p>The entry, not the message, is what a queue orders and counts: the same {@link Message} routed
 * to three queues has three entries. A store-backed queue will keep the message's store position
 * here so that the body can leave memory while the entry stays in the index.
 */
public final class QueueEntry {
    private final long sequence;
    private final Message message;
    /** When the entry expires (ms since the epoch, see {@link Expiry}), or {@link Expiry#NEVER}; fixed. */
    private final long expiresAt;
    private int deliveryCount;
    /** Whether the entry sits in its queue's {@link ReadyList}; written by the list only. */
    boolean ready;
    /** The entry's store address once written, or null when the message is not stored. */
    private CompletableFuture<Long> stored;

    QueueEntry(long sequence, Message message) {
        this(sequence, message, 0, Expiry.NEVER);
    }

    QueueEntry(long sequence, Message message, int deliveryCount, long expiresAt) {
        this.sequence = sequence;
        this.message = message;
        this.deliveryCount = deliveryCount;
        this.expiresAt = expiresAt;
    }

    /** The store address of this entry (completes once written), or null when it is not stored. */
    public CompletableFuture<Long> stored() {
        return stored;
    }

    void stored(CompletableFuture<Long> address) {
        this.stored = address;
    }

    /** Position in the queue's FIFO order, fixed at enqueue: a requeued entry goes back to it. */
    public long sequence() {
        return sequence;
    }

    public Message message() {
        return message;
    }

    public long expiresAt() {
        return expiresAt;
    }

    /** How many deliveries of this entry reached a consumer or basic.get so far. */
    public int deliveryCount() {
        return deliveryCount;
    }

    /** The bytes this entry holds in memory, as the memory alarm counts them. */
    public long bodySize() {
        return message.body().length;
    }

    void delivered() {
        deliveryCount++;
    }

    /** A delivery was handed back before it reached the consumer: it does not count. */
    void undelivered() {
        deliveryCount--;
    }

    @Override
    public String toString() {
        return "QueueEntry[" + sequence + ", deliveries=" + deliveryCount + "]";
    }
}
