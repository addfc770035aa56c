package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.ConnectionBlocked;
import io.ferrymq.amqp.codec.method.ConnectionUnblocked;
import io.ferrymq.core.AlarmListener;
import io.ferrymq.core.PublisherFlow;
import io.netty.channel.Channel;

/**
 * Owned by the connection's event loop, except the {@link AlarmListener} methods and
 * {@link #resume()}, which any thread may call (they hop to the event loop). Decides when to stop reading an open connection's socket,
 * and tells the client about resource alarms.
 *
 * <p>Reading stops (autoRead off) for any of three reasons, and resumes when none holds:
 * <ul>
 *   <li>a resource alarm is on and the client published since: like RabbitMQ, a connection is
 *       blocked once it tries to publish, so consumers keep draining queues meanwhile;</li>
 *   <li>too many frames wait in channel backlogs behind Session stages that have not completed;</li>
 *   <li>a queue the client published to asks its publishers to pause (queue flow control: its
 *       consumers fell behind), until every such queue has let them go.</li>
 * </ul>
 * Clients that announced the {@code connection.blocked} capability get {@code connection.blocked}
 * when an alarm starts and {@code connection.unblocked} when it ends.
 */
final class FlowControl implements AlarmListener, PublisherFlow {
    /** Frames waiting in channel backlogs at which reading stops, and where it resumes. */
    private static final int BACKLOG_PAUSE = 256;
    private static final int BACKLOG_RESUME = 64;
    private static final int PAUSED_BY_ALARM = 1;
    private static final int PAUSED_BY_BACKLOG = 2;
    private static final int PAUSED_BY_QUEUE = 4;

    private final Channel socket;
    private final FrameWriter out;
    private final ConnectionInbox inbox;
    private final Heartbeater heartbeater;
    private final boolean clientWantsBlockedNotifications;
    private int pausedBy;
    private int backlog;
    private int queuesWaitedOn;
    private boolean alarmOn;
    private boolean blockedSent;
    private boolean closed;

    /** @param heartbeater null without heartbeats; told when silence is ours rather than the client's */
    FlowControl(Channel socket, FrameWriter out, ConnectionInbox inbox, Heartbeater heartbeater,
                boolean clientWantsBlockedNotifications) {
        this.socket = socket;
        this.out = out;
        this.inbox = inbox;
        this.heartbeater = heartbeater;
        this.clientWantsBlockedNotifications = clientWantsBlockedNotifications;
    }

    @Override
    public void blocked(String reason) {
        inbox.submit(() -> onBlocked(reason));
    }

    @Override
    public void unblocked() {
        inbox.submit(this::onUnblocked);
    }

    /** A message was published: while an alarm is on, stop reading from this client. */
    void published() {
        if (alarmOn) {
            pause(PAUSED_BY_ALARM);
        }
    }

    void backlogGrew() {
        if (++backlog >= BACKLOG_PAUSE) {
            pause(PAUSED_BY_BACKLOG);
        }
    }

    void backlogShrank() {
        if (--backlog <= BACKLOG_RESUME) {
            resume(PAUSED_BY_BACKLOG);
        }
    }

    /** Event loop (the publish path): a queue asks its publishers to pause. */
    @Override
    public void pause() {
        queuesWaitedOn++;
        if (!closed) {
            pause(PAUSED_BY_QUEUE);
        }
    }

    /** Any thread: a queue that asked lets its publishers go. */
    @Override
    public void resume() {
        inbox.submit(() -> {
            if (--queuesWaitedOn == 0) {
                resume(PAUSED_BY_QUEUE);
            }
        });
    }

    /** The connection is closing: alarms no longer concern it, and its close-ok must be read. */
    void close() {
        closed = true;
        if (pausedBy != 0) {
            pausedBy = 0;
            socket.config().setAutoRead(true);
        }
    }

    private void onBlocked(String reason) {
        if (closed) {
            return;
        }
        alarmOn = true;
        if (clientWantsBlockedNotifications && !blockedSent) {
            blockedSent = true;
            out.method(0, new ConnectionBlocked(AmqpError.truncate(reason)));
        }
    }

    private void onUnblocked() {
        if (closed) {
            return;
        }
        alarmOn = false;
        if (blockedSent) {
            blockedSent = false;
            out.method(0, new ConnectionUnblocked());
        }
        resume(PAUSED_BY_ALARM);
    }

    private void pause(int reason) {
        if (pausedBy == 0) {
            socket.config().setAutoRead(false);
            if (heartbeater != null) {
                heartbeater.readingPaused(true);
            }
        }
        pausedBy |= reason;
    }

    private void resume(int reason) {
        if ((pausedBy & reason) == 0) {
            return;
        }
        pausedBy &= ~reason;
        if (pausedBy == 0 && !closed) {
            if (heartbeater != null) {
                heartbeater.readingPaused(false);
            }
            socket.config().setAutoRead(true);
        }
    }
}
