package io.ferrymq.core.queue;

/** What a {@link QueueMachine} asks its runner to do after a command. */
public sealed interface QueueEffect {

    /**
     * Hand the entry to a consumer ({@code consumerId}), or to basic.get when the id is
     * {@link QueueMachine#NO_CONSUMER}.
     *
     * @param deliveryCount deliveries of the entry before this one (0: first delivery)
     * @param settled       the delivery needs no acknowledgement (no-ack): the entry has left the
     *                      queue; otherwise it waits, unacknowledged, under {@code deliveryId}
     */
    record Deliver(long consumerId, long deliveryId, QueueEntry entry, int deliveryCount, boolean settled)
            implements QueueEffect {

        public boolean redelivered() {
            return deliveryCount > 0;
        }
    }

    /** The entry left the queue for good. */
    record Drop(QueueEntry entry, DropReason reason) implements QueueEffect {
    }

    /** Why an entry left the queue. */
    enum DropReason {
        ACKED,
        /** Rejected or nacked without requeue: where dead-lettering will hook in. */
        REJECTED,
        PURGED,
        QUEUE_DELETED,
        /** Its body could not be read back from the store (the store logged why). */
        LOST
    }
}
