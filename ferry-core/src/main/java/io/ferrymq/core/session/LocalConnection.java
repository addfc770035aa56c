package io.ferrymq.core.session;

import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.PublisherFlow;
import io.ferrymq.core.Session;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.vhost.VirtualHost;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A client connection in one virtual host. Used by the connection's thread; the sets are
 * concurrent because the broker may close the connection from another thread at shutdown.
 */
public final class LocalConnection implements BrokerConnection {
    private final long id;
    private final ConnectionInfo info;
    private final VirtualHost vhost;
    private final SessionServices services;
    private final Consumer<LocalConnection> onClosed;
    private final Set<LocalSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Queue> exclusiveQueues = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Consumer<String> forcedCloseListener = reason -> { };
    private volatile PublisherFlow publisherFlow;
    /** The queues this connection's publishers wait on (queue flow control); each is resumed once. */
    private final Set<Queue> flowWaits = ConcurrentHashMap.newKeySet();

    /**
     * @param id       broker-unique, never {@link io.ferrymq.core.queue.QueueSettings#NOT_EXCLUSIVE}: owns
     *                 exclusive queues
     * @param onClosed told once, after the connection closed
     */
    public LocalConnection(long id, ConnectionInfo info, VirtualHost vhost, SessionServices services,
                           Consumer<LocalConnection> onClosed) {
        this.id = id;
        this.info = info;
        this.vhost = vhost;
        this.services = services;
        this.onClosed = onClosed;
    }

    public long id() {
        return id;
    }

    public ConnectionInfo info() {
        return info;
    }

    @Override
    public String vhost() {
        return vhost.name();
    }

    @Override
    public Session openSession(int number) {
        if (closed.get()) {
            throw new BrokerException(Condition.COMMAND_INVALID, "connection '" + info.id() + "' is closed");
        }
        LocalSession session = new LocalSession(this, number, vhost, services);
        sessions.add(session);
        return session;
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** The open sessions, by number. */
    public List<LocalSession> sessions() {
        return sessions.stream().sorted(java.util.Comparator.comparingInt(LocalSession::number)).toList();
    }

    @Override
    public void onPublisherFlow(PublisherFlow flow) {
        this.publisherFlow = flow;
    }

    /**
     * Session thread, after publishing to {@code queue} while it asks its publishers to pause: tells the adapter to
     * pause, once per queue, and to resume when that queue lets its publishers go. Not when this connection also
     * consumes from that queue: reading no more of it would hold back the very acknowledgements that drain it.
     */
    void awaitFlow(Queue queue) {
        PublisherFlow flow = publisherFlow;
        if (flow == null || flowWaits.contains(queue) || consumesFrom(queue) || !flowWaits.add(queue)) {
            return;
        }
        flow.pause();
        Runnable resume = () -> {
            flowWaits.remove(queue);
            flow.resume();
        };
        if (!queue.whenUncongested(resume)) {
            resume.run();
        }
    }

    private boolean consumesFrom(Queue queue) {
        for (LocalSession session : sessions) {
            if (session.consumesFrom(queue)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onForcedClose(Consumer<String> listener) {
        forcedCloseListener = listener;
    }

    @Override
    public void close() {
        terminate(null);
    }

    /**
     * An operator's close: the protocol adapter is told to close its transport with {@code reason}, and the
     * connection is terminated here at once (consumers told), so that what follows (deleting its vhost) does not
     * race with its sessions.
     */
    public void forceClose(String reason) {
        forcedCloseListener.accept(reason);
        terminate(reason);
    }

    /**
     * Closes every session (telling consumers' sinks {@code reason} when not null) and deletes the
     * exclusive queues this connection owns.
     */
    public void terminate(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (LocalSession session : List.copyOf(sessions)) {
            session.terminate(reason);
        }
        for (Queue queue : List.copyOf(exclusiveQueues)) {
            vhost.deleteQueue(queue, false, false);
        }
        exclusiveQueues.clear();
        onClosed.accept(this);
    }

    void sessionClosed(LocalSession session) {
        sessions.remove(session);
    }

    void ownExclusive(Queue queue) {
        exclusiveQueues.add(queue);
    }

    void forgetExclusive(Queue queue) {
        exclusiveQueues.remove(queue);
    }
}
