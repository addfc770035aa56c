package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

import java.util.concurrent.CompletableFuture;

/**
 * One message's place in one queue. Guarded by the lock of the queue that holds it (the
 * {@link QueueMachine} is its only writer).
 *
 * <p>The entry, not the message, is what a queue orders and counts: the same {@link Message} routed
 * to three queues has three entries. A stored entry may be paged: its body then lives in the store
 * only ({@link #message()} is null until the queue loads it back for a delivery), and in the ready
 * list it shrinks to a slot of primitive fields (see {@link EntryFifo}).
 */
public final class QueueEntry {
    /** {@link #pageable()}: the body may leave memory (it is in the store). */
    static final int PAGEABLE = 0;
    /** {@link #pageable()}: the store write has not completed yet. */
    static final int WRITING = 1;
    /** {@link #pageable()}: the body is not stored (transient message, or the write failed), or is paged already. */
    static final int NOT_PAGEABLE = 2;

    /** {@link #group()} of an entry that belongs to no message group. */
    static final int NO_GROUP = 0;
    private static final long NO_ADDRESS = -1;

    private final long sequence;
    private final int size;
    /** When the entry expires (ms since the epoch, see {@link Expiry}), or {@link Expiry#NEVER}; fixed. */
    private final long expiresAt;
    /** The priority level it is queued at (0 in a queue without {@code x-max-priority}); fixed. */
    private final int priority;
    /** The handle of its message group in its queue's {@link MessageGroups}, or {@link #NO_GROUP}; fixed. */
    private final int group;
    private Message message;
    private int deliveryCount;
    /** Whether the entry sits in one of its queue's {@link ReadyList}s; written by the lists only. */
    boolean ready;
    /**
     * Whether it is ready in its group's parked list rather than in the queue's main one (see {@link MessageGroups});
     * kept for entries that expire, which are always objects, since only their expiry takes them out from the middle.
     */
    boolean parked;
    /** The store address once known, else {@link #NO_ADDRESS}. */
    private long address = NO_ADDRESS;
    /** The store write in flight, until its address is taken into {@link #address}. */
    private CompletableFuture<Long> writing;

    QueueEntry(long sequence, Message message) {
        this(sequence, message, 0, Expiry.NEVER, 0, NO_GROUP);
    }

    QueueEntry(long sequence, Message message, int deliveryCount, long expiresAt, int priority, int group) {
        this.sequence = sequence;
        this.message = message;
        this.size = message.body().length;
        this.deliveryCount = deliveryCount;
        this.expiresAt = expiresAt;
        this.priority = priority;
        this.group = group;
    }

    private QueueEntry(long sequence, long address, int size, int deliveryCount, long expiresAt, int priority,
                       int group) {
        this.sequence = sequence;
        this.address = address;
        this.size = size;
        this.deliveryCount = deliveryCount;
        this.expiresAt = expiresAt;
        this.priority = priority;
        this.group = group;
    }

    /** An entry whose body is in the store at {@code address} only. */
    static QueueEntry paged(long sequence, long address, int size, int deliveryCount, long expiresAt, int priority,
                            int group) {
        return new QueueEntry(sequence, address, size, deliveryCount, expiresAt, priority, group);
    }

    /** The store address of this entry (completes once written), or null when it is not stored. */
    public CompletableFuture<Long> stored() {
        if (writing != null) {
            return writing;
        }
        return address == NO_ADDRESS ? null : CompletableFuture.completedFuture(address);
    }

    void stored(CompletableFuture<Long> write) {
        this.writing = write;
    }

    /**
     * Forgets the stored copy (a transaction deletes it itself) and returns it as {@link #stored()} did; the entry
     * then counts as not stored: settling it deletes nothing.
     */
    CompletableFuture<Long> detachStored() {
        CompletableFuture<Long> stored = stored();
        writing = null;
        address = NO_ADDRESS;
        return stored;
    }

    /**
     * Whether the body may leave memory now; takes a completed write's address. An entry that expires stays an
     * object (the queue's expiry index holds it), so it never pages.
     */
    int pageable() {
        if (message == null || expiresAt != Expiry.NEVER) {
            return NOT_PAGEABLE;
        }
        if (writing != null) {
            if (!writing.isDone()) {
                return WRITING;
            }
            if (writing.isCompletedExceptionally()) {
                return NOT_PAGEABLE;
            }
            address = writing.join();
            writing = null;
        }
        return address == NO_ADDRESS ? NOT_PAGEABLE : PAGEABLE;
    }

    /** Where the body is stored, or -1; only meaningful once {@link #pageable()} said so. */
    long address() {
        return address;
    }

    /** Position in the queue's FIFO order, fixed at enqueue: a requeued entry goes back to it. */
    public long sequence() {
        return sequence;
    }

    /** The message, or null while its body is in the store only. */
    public Message message() {
        return message;
    }

    public long expiresAt() {
        return expiresAt;
    }

    /** The priority level it is queued at: its message's priority, capped at the queue's {@code x-max-priority}. */
    public int priority() {
        return priority;
    }

    int group() {
        return group;
    }

    boolean resident() {
        return message != null;
    }

    /** The body was read back from the store. */
    void loaded(Message loaded) {
        this.message = loaded;
    }

    /** How many deliveries of this entry reached a consumer or basic.get so far. */
    public int deliveryCount() {
        return deliveryCount;
    }

    /** The size of the body in bytes, whether it is in memory or not. */
    public int size() {
        return size;
    }

    void delivered() {
        deliveryCount++;
    }

    /** At start: the deliveries its stored delivery state counted (see {@link DeliveryStates}). */
    void restoreDeliveryCount(int count) {
        deliveryCount = count;
    }

    /** A delivery was handed back before it reached the consumer: it does not count. */
    void undelivered() {
        deliveryCount--;
    }

    @Override
    public String toString() {
        return "QueueEntry[" + sequence + ", deliveries=" + deliveryCount + (message == null ? ", paged" : "") + "]";
    }
}
