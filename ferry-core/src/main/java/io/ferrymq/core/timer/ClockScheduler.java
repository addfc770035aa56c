package io.ferrymq.core.timer;

import io.ferrymq.common.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Scheduler} over a heap of tasks ordered by due time: one thread for the whole broker, however many timers
 * are pending, so a million expiring messages cost a million heap slots at most (queues keep one timer each, for
 * their earliest deadline, so in practice far fewer). Thread-safe; the heap is guarded by {@link #lock}.
 *
 * <p>{@linkplain #threaded Threaded}, its thread starts with the first task and sleeps until the earliest due time,
 * reading the clock again at least every {@link #MAX_SLEEP_MILLIS} so that a wall clock that jumps is followed.
 * {@linkplain #manual Manual}, nothing runs until the owner calls {@link #runDue()}: tests move a fake clock and
 * then run what became due, deterministically, on their own thread.
 */
public final class ClockScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClockScheduler.class);
    private static final long MAX_SLEEP_MILLIS = 1_000;

    private final Clock clock;
    private final boolean threaded;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition headChanged = lock.newCondition();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order));
    private long nextOrder;
    private Thread thread;
    private boolean closed;

    private ClockScheduler(Clock clock, boolean threaded) {
        this.clock = clock;
        this.threaded = threaded;
    }

    /** Runs due tasks on its own daemon thread, {@code ferry-scheduler}. */
    public static ClockScheduler threaded(Clock clock) {
        return new ClockScheduler(clock, true);
    }

    /** Runs due tasks only when {@link #runDue()} is called. */
    public static ClockScheduler manual(Clock clock) {
        return new ClockScheduler(clock, false);
    }

    @Override
    public Timer at(long dueMillis, Runnable task) {
        Task scheduled;
        lock.lock();
        try {
            scheduled = new Task(dueMillis, nextOrder++, task);
            if (closed) {
                return scheduled;
            }
            tasks.add(scheduled);
            if (threaded && thread == null) {
                thread = new Thread(this::loop, "ferry-scheduler");
                thread.setDaemon(true);
                thread.start();
            } else if (tasks.peek() == scheduled) {
                headChanged.signal();
            }
        } finally {
            lock.unlock();
        }
        return scheduled;
    }

    /** Runs, on the calling thread, every task due by the clock now (and those they make due); returns how many. */
    public int runDue() {
        int ran = 0;
        Task task;
        while ((task = takeDue()) != null) {
            if (!task.cancelled) {
                ran++;
                try {
                    task.action.run();
                } catch (RuntimeException e) {
                    LOG.error("a scheduled task failed", e);
                }
            }
        }
        return ran;
    }

    /** How many tasks wait, cancelled ones included (for tests and metrics). */
    public int pending() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }

    private Task takeDue() {
        lock.lock();
        try {
            Task head = tasks.peek();
            return head != null && head.due <= clock.millis() ? tasks.poll() : null;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            runDue();
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                Task head = tasks.peek();
                long sleep = head == null ? MAX_SLEEP_MILLIS
                        : Math.min(MAX_SLEEP_MILLIS, head.due - clock.millis());
                if (sleep > 0) {
                    headChanged.await(sleep, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Drops every pending task and stops the thread. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            tasks.clear();
            headChanged.signal();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Task implements Timer {
        final long due;
        final long order;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
