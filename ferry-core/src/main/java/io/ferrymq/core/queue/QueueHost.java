package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

/**
 * What a queue asks of the virtual host that holds it. A queue calls these with no queue lock held (they take
 * other queues' locks and the topology lock).
 */
public interface QueueHost {

    /** For queues outside any virtual host (tests): dead letters and idle expiry are dropped. */
    QueueHost NONE = new QueueHost() {
        @Override
        public void deadLetter(QueueSettings queue, QueueArguments arguments, Message message, String reason) {
        }

        @Override
        public void expired(Queue queue) {
        }
    };

    /**
     * Publishes a message that left {@code queue} unacknowledged, for {@code reason} ({@code rejected},
     * {@code expired}, {@code maxlen}, {@code delivery_limit}), to the queue's dead-letter exchange.
     */
    void deadLetter(QueueSettings queue, QueueArguments arguments, Message message, String reason);

    /** The queue stayed unused for its {@code x-expires}: delete it. */
    void expired(Queue queue);
}
