package io.ferrymq.amqp;

import io.netty.channel.EventLoop;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How other threads (queue dispatchers, the store's writer, alarm detection) hand work to one
 * connection. Thread-safe {@link #submit}; tasks run on the connection's event loop.
 *
 * <p>Why not {@code eventLoop.execute} per task: a burst of completions (a group commit confirming
 * a thousand publishes, a queue dispatching a batch) then costs one event-loop task and one flush
 * instead of one each — the pass ends with {@code endOfPass}, which flushes.
 */
final class ConnectionInbox implements Runnable {
    /** Runs each task and reports what a task threw (a bug) without stopping the others. */
    interface Owner {
        void runInboxTask(Runnable task);

        /** Called once after the tasks of a pass have run. */
        void endOfPass();
    }

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final EventLoop eventLoop;
    private final Owner owner;

    ConnectionInbox(EventLoop eventLoop, Owner owner) {
        this.eventLoop = eventLoop;
        this.owner = owner;
    }

    void submit(Runnable task) {
        tasks.offer(task);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                eventLoop.execute(this);
            } catch (RejectedExecutionException shutDown) {
                // the event loop is gone, and with it the connection: nothing left to tell
                tasks.clear();
            }
        }
    }

    @Override
    public void run() {
        // cleared before polling, so a task submitted while we drain schedules another pass
        scheduled.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) {
            owner.runInboxTask(task);
        }
        owner.endOfPass();
    }
}
