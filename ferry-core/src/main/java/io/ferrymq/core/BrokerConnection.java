package io.ferrymq.core;

/**
 * A client connection admitted to one virtual host. Owns its sessions and its exclusive queues.
 * Thread: used by the connection's own thread (the event loop), like {@link Session}.
 */
public interface BrokerConnection {

    String vhost();

    Session openSession();

    /** Closes every session (requeuing their unacked messages) and deletes exclusive queues. */
    void close();
}
