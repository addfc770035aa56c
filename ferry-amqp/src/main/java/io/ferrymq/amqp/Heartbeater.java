package io.ferrymq.amqp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Owned by the connection's event loop. Sends heartbeats and detects a dead peer for a
 * negotiated heartbeat of {@code h} seconds, with one timer ticking every {@code h/2}.
 *
 * <p>Why ticks and flags rather than timestamps: the hot paths only set a boolean (no clock
 * reads per frame), and tests drive it with the event loop's own (fakeable) time.
 *
 * <ul>
 *   <li>Send: on a tick with nothing written since the previous tick, write a heartbeat frame, so
 *       the peer never waits more than {@code h} seconds for traffic.</li>
 *   <li>Receive: four ticks in a row without anything read mean more than {@code 2h} of silence;
 *       the peer is taken for dead. A client sending one heartbeat per {@code h} (the Java
 *       client may take up to {@code 2h} between two) still passes.</li>
 * </ul>
 */
final class Heartbeater implements Runnable {
    /** Silent ticks (of h/2 each) before the peer counts as dead: more than 2h. */
    private static final int SILENT_TICKS_LIMIT = 4;

    interface Peer {
        /** Nothing came from the peer for more than twice the heartbeat. */
        void heartbeatTimedOut(int heartbeatSeconds);
    }

    private final FrameWriter out;
    private final Peer peer;
    private final int heartbeatSeconds;
    private ScheduledFuture<?> timer;
    private boolean readSinceTick;
    private int silentTicks;
    /** We stopped reading the socket (flow control): the peer's silence is ours, not its. */
    private boolean readingPaused;

    Heartbeater(FrameWriter out, Peer peer, int heartbeatSeconds) {
        this.out = out;
        this.peer = peer;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    void start(EventLoop eventLoop) {
        long tickMillis = heartbeatSeconds * 500L;
        timer = eventLoop.scheduleAtFixedRate(this, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Something arrived from the peer; any frame counts as liveness. */
    void read() {
        readSinceTick = true;
    }

    void readingPaused(boolean paused) {
        readingPaused = paused;
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run() {
        if (timer == null) {
            return;
        }
        if (readSinceTick || readingPaused) {
            readSinceTick = false;
            silentTicks = 0;
        } else if (++silentTicks >= SILENT_TICKS_LIMIT) {
            stop();
            peer.heartbeatTimedOut(heartbeatSeconds);
            return;
        }
        if (!out.takeWrittenSinceTick()) {
            out.heartbeat();
            out.flush();
            // the heartbeat itself must not count as traffic for the next tick
            out.takeWrittenSinceTick();
        }
    }
}
