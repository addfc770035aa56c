package io.ferrymq.core;

/**
 * The only way up from the core to a protocol adapter: one per consumer, given to
 * {@link Session#consume}. The core calls these methods from whatever thread dispatches the
 * queue, possibly while holding the queue's lock, and in delivery-tag order for a session:
 * implementations must not block and must not call back into the core; they hand the event to
 * their own thread (for AMQP, the channel's event loop).
 */
public interface DeliverySink {

    /** Deliver a message. Called only when {@link #hasCredit()} was true just before. */
    void deliver(Delivery delivery);

    /**
     * The broker ended the consumer (its queue was deleted, or the broker shuts down). No
     * further deliveries follow.
     */
    void cancelled(String consumerTag, String reason);

    /**
     * Whether the transport can take more deliveries now (for AMQP: the socket is writable and
     * the channel is not paused by {@code channel.flow}). When it becomes true again the adapter
     * calls {@link Session#resume()}.
     */
    boolean hasCredit();
}
