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
 * consumers take nothing: a consumer that stopped reading its socket holds the queue's messages back without
 * draining it, and pausing its publishers would stop them for as long as it stays connected; so a queue that
 * delivered nothing for {@link #STALL_MILLIS} lets its publishers go, and pauses none until it has drained to half
 * the mark. The same
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

    /** How long a queue may deliver nothing before its consumers count as stalled rather than slow. */
    static final long STALL_MILLIS = 1000;

    private final long pauseAt;
    private final long resumeAt;
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile boolean congested;
    private long seenDeliveries = -1;
    private long progressAt;
    /** Let go because its consumers stalled: no pause until the queue is back at half the mark. */
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
     * @param deliveries how many deliveries the queue has made so far (any monotonic count)
     * @param now        the queue's clock, in milliseconds
     */
    List<Runnable> update(long heldBytes, int consumers, boolean deleted, long deliveries, long now) {
        if (deliveries != seenDeliveries) {
            seenDeliveries = deliveries;
            progressAt = now;
        }
        boolean active = !deleted && consumers > 0;
        if (stalled && (!active || heldBytes <= resumeAt)) {
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
