package io.ferrymq.core;

import java.util.function.Consumer;

/**
 * A client connection admitted to one virtual host. Owns its sessions and its exclusive queues.
 * Thread: used by the connection's own thread (the event loop), like {@link Session}.
 */
public interface BrokerConnection {

    String vhost();

    /**
     * Opens a session.
     *
     * @param number the protocol's channel number, shown in listings
     */
    Session openSession(int number);

    /** A session without a channel number of its own (numbered 0), for embedded and test use. */
    default Session openSession() {
        return openSession(0);
    }

    /**
     * Registers who to tell when an operator closes this connection from the broker's side (its vhost is deleted,
     * or the management API closes it): the protocol adapter closes its transport with {@code reason}. Called once,
     * right after the connection opened; the listener may be called from any thread.
     */
    void onForcedClose(Consumer<String> listener);

    /**
     * Registers who to tell when a queue this connection publishes to asks its publishers to pause, and when it
     * lets them go (queue flow control: a queue whose consumers fell behind, holding more in memory than it may).
     * Called once, right after the connection opened; without it, publishers are never asked to pause.
     */
    void onPublisherFlow(PublisherFlow flow);

    /** Closes every session (requeuing their unacked messages) and deletes exclusive queues. */
    void close();
}
