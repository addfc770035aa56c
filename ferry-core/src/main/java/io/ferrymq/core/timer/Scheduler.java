package io.ferrymq.core.timer;

/**
 * The broker's one source of timed work (message expiry, retry delays, idle queues, consumer ack timeouts), driven
 * by the broker's {@link io.ferrymq.common.Clock}. Thread-safe. Tasks run one at a time on the scheduler's own
 * thread, never on the caller's; they must be short and must not block.
 */
public interface Scheduler {

    /** Runs {@code task} once the clock reads {@code dueMillis} or later. */
    Timer at(long dueMillis, Runnable task);

    /** A scheduled task. */
    interface Timer {
        /** The task will not run (if it has not started yet). */
        void cancel();
    }
}
