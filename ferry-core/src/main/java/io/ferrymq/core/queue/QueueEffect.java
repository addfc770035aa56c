package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

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

    /**
     * The queue is full and refuses publishes ({@code x-overflow} reject-publish or reject-publish-dlx): the message
     * was not enqueued, and its publisher must hear so.
     *
     * @param deadLetter dead-letter it with reason {@code maxlen} (reject-publish-dlx)
     */
    record Refused(Message message, boolean deadLetter) implements QueueEffect {
    }

    /**
     * A failed delivery goes back: ready again at its place ({@code retryAt} -1), or waiting for its retry delay
     * until {@code retryAt} (ms since the epoch). Reported for message trace, only when asked
     * ({@link QueueMachine#reportRequeues}); the runner has nothing to do.
     */
    record Requeued(QueueEntry entry, long retryAt) implements QueueEffect {
    }

    /** Why an entry left the queue. */
    enum DropReason {
        ACKED(null),
        /** Rejected or nacked without requeue. */
        REJECTED("rejected"),
        /** Its TTL passed. */
        EXPIRED("expired"),
        /** Dropped from the head to stay within a length limit, or refused because of one. */
        MAXLEN("maxlen"),
        /** Returned more often than {@code x-delivery-limit} allows. */
        DELIVERY_LIMIT("delivery_limit"),
        PURGED(null),
        QUEUE_DELETED(null),
        /** Its body could not be read back from the store (the store logged why): nothing left to dead-letter. */
        LOST(null);

        private final String deathReason;

        DropReason(String deathReason) {
            this.deathReason = deathReason;
        }

        /** Whether the message left unacknowledged and so goes to the dead-letter exchange when there is one (G7). */
        public boolean deadLetters() {
            return deathReason != null;
        }

        /** The reason as the {@code x-death} header writes it ({@code rejected}...), or null. */
        public String deathReason() {
            return deathReason;
        }
    }
}
