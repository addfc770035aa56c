package io.ferrymq.core.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * Queue flow control. A queue's persistent messages page out to the store past its resident budget, but transient
 * ones have nowhere to go but the heap: a publisher faster than the queue's consumers (RabbitMQ's PerfTest on two
 * cores: the backlog reached tens of MB in seconds) grows the broker's memory until the memory alarm stops every
 * publisher at once. So once the bytes a queue holds in memory pass {@link #MAX_PAUSE_AT_BYTES} (or its resident
 * budget, if that is smaller) while it has consumers, it asks the publishers that route to it to pause (they stop reading their sockets: TCP pushes back
 * on the client), and lets them go once its consumers have drained it to half that. Without consumers it
 * never asks: a queue filled now to be read later is not slowed (the memory alarm still guards that). Nor while its
 * consumers drain nothing: a consumer that stopped reading its socket, or that takes messages and never
 * acknowledges them, holds the queue's messages without draining it, and pausing its publishers would stop them
 * for as long as it stays connected; so a queue from which no message left for {@link #STALL_MILLIS} lets its
 * publishers go, and pauses none until messages leave it again (or it is back at half the mark). Ending the stall
 * as soon as the queue drains again matters: a consumer that paused for a second (PerfTest's, starved of CPU on
 * two cores) and then went on slowly otherwise faced a publisher let go for good, and the backlog grew by 100 MB a
 * second. The same
 * idea as ActiveMQ's producer flow control and RabbitMQ's credit flow, at the queue's memory rather than its
 * process mailbox.
 *
 * <p>Under the queue's lock, except {@link #congested()} (any thread, a volatile read per publish).
 */
final class QueueFlow {
    /**
     * The most a queue with consumers holds before it pauses its publishers. A backlog only adds latency (a
     * consumer keeping up needs a few ms of messages ready, 4 MiB is 80 ms of scenario a's 50k msg/s), and every
     * message that waits long enough to survive a young collection grows the old generation: with the mark at
     * 8 MiB scenario a peaked at 161-200 MB resident, with 4 MiB at 131-143 MB, at the same throughput within
     * this machine's noise (2 MiB cost about 15% of it; docs/BENCHMARKS.md "Session 6").
     */
    static final long MAX_PAUSE_AT_BYTES = 4L << 20;

    /** How long no message may leave a queue before its consumers count as stalled rather than slow. */
    static final long STALL_MILLIS = 1000;

    private final long pauseAt;
    private final long resumeAt;
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile boolean congested;
    private long seenDrained = -1;
    private long progressAt;
    /** Let go because its consumers stalled: no pause until messages leave the queue again. */
    private boolean stalled;

    /** @param residentBytes the queue's resident budget: pause above it (at most the maximum), resume at half */
    QueueFlow(long residentBytes) {
        this.pauseAt = Math.max(2, Math.min(residentBytes, MAX_PAUSE_AT_BYTES));
        this.resumeAt = pauseAt / 2;
    }

    boolean congested() {
        return congested;
    }

    /** When {@link #update} must run again, without any other change, to let stalled consumers' publishers go. */
    long recheckAt() {
        return congested ? progressAt + STALL_MILLIS : Long.MAX_VALUE;
    }

    /** Registers {@code resume} to run once the queue lets its publishers go; false (never runs it) if it is not congested now. */
    boolean await(Runnable resume) {
        if (!congested) {
            return false;
        }
        waiting.add(resume);
        return true;
    }

    /**
     * After every change to the queue: returns the publishers to let go now (to run once the lock is released), or
     * null.
     *
     * @param drained    how many messages have left the queue for good so far (any monotonic count)
     * @param now        the queue's clock, in milliseconds
     */
    List<Runnable> update(long heldBytes, int consumers, boolean deleted, long drained, long now) {
        boolean draining = drained != seenDrained;
        if (draining) {
            seenDrained = drained;
            progressAt = now;
        }
        boolean active = !deleted && consumers > 0;
        if (stalled && (!active || heldBytes <= resumeAt || draining)) {
            stalled = false;
        }
        if (!congested) {
            congested = active && !stalled && heldBytes > pauseAt;
            return null;
        }
        if (active && heldBytes > resumeAt) {
            if (now - progressAt < STALL_MILLIS) {
                return null;
            }
            stalled = true;
        }
        congested = false;
        if (waiting.isEmpty()) {
            return null;
        }
        List<Runnable> released = new ArrayList<>(waiting);
        waiting.clear();
        return released;
    }
}
