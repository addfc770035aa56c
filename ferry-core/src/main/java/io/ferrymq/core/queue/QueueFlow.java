package io.ferrymq.core.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * Queue flow control. A queue's persistent messages page out to the store past its resident budget, but transient
 * ones have nowhere to go but the heap: a publisher faster than the queue's consumers (RabbitMQ's PerfTest on two
 * cores: the backlog reached tens of MB in seconds) grows the broker's memory until the memory alarm stops every
 * publisher at once. So once the bytes a queue holds in memory pass twice its resident budget while it has
 * consumers, it asks the publishers that route to it to pause (they stop reading their sockets: TCP pushes back
 * on the client), and lets them go once its consumers have drained it back to the budget. Without consumers it
 * never asks: a queue filled now to be read later is not slowed (the memory alarm still guards that). The same
 * idea as ActiveMQ's producer flow control and RabbitMQ's credit flow, at the queue's memory rather than its
 * process mailbox.
 *
 * <p>Under the queue's lock, except {@link #congested()} (any thread, a volatile read per publish).
 */
final class QueueFlow {
    private final long pauseAt;
    private final long resumeAt;
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile boolean congested;

    /** @param residentBytes the queue's resident budget: pause above twice that, resume at or below it */
    QueueFlow(long residentBytes) {
        this.resumeAt = Math.max(1, residentBytes);
        this.pauseAt = 2 * resumeAt;
    }

    boolean congested() {
        return congested;
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
     */
    List<Runnable> update(long heldBytes, int consumers, boolean deleted) {
        if (!congested) {
            congested = !deleted && consumers > 0 && heldBytes > pauseAt;
            return null;
        }
        if (!deleted && consumers > 0 && heldBytes > resumeAt) {
            return null;
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
