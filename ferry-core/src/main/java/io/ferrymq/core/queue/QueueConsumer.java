package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

/**
 * A consumer as a queue sees it, implemented by the session that started it. A queue calls
 * {@link #tryReserve()} and {@link #deliver} while holding its own lock; implementations may take
 * their session's lock inside (the lock order is always queue, then session) and must not call
 * back into the queue.
 */
public interface QueueConsumer {

    /** Unique in the broker and never {@link QueueMachine#NO_CONSUMER}. */
    long id();

    /** {@code x-priority}: higher is served first. */
    int priority();

    boolean noAck();

    /** basic.consume exclusive: no other consumer may use the queue while this one exists. */
    boolean exclusive();

    /** Reserves room for one delivery (prefetch and transport credit), or answers false. */
    boolean tryReserve();

    /**
     * Hands over a delivery reserved by {@link #tryReserve()}. Returns false when it can no longer
     * be taken (the session closed in between); the queue then puts the message back.
     *
     * @param settled no acknowledgement will come: the message already left the queue
     */
    boolean deliver(Queue queue, long deliveryId, Message message, int deliveryCount, boolean settled);

    /** The consumer tag, for message trace; null when unknown. */
    default String tag() {
        return null;
    }

    /** The queue ended this consumer (it was deleted); no delivery follows. */
    void cancelledByQueue(String reason);
}
