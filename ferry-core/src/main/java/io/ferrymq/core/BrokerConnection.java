package io.ferrymq.core;

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

    /** Closes every session (requeuing their unacked messages) and deletes exclusive queues. */
    void close();
}
