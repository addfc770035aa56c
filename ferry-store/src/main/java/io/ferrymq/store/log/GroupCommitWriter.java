package io.ferrymq.store.log;

import io.ferrymq.common.concurrent.EndOfPass;
import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Owned by the writer thread it starts ({@link #submit} is safe from any thread): the log's one writer and its
 * inbox (group commit).
 *
 * <p>The thread drains the inbox, running each request (which appends records) as it comes. When the inbox runs
 * dry, or when {@code syncBytes} were written since the last force while durable requests wait, it forces the
 * active segment once, advances {@link #durablePosition()} and completes every waiting request. So a batch is
 * whatever arrived while the previous force ran: batches grow with load and no timer is involved.
 *
 * <p>A request submitted on a thread that runs in passes (an event loop, see {@link EndOfPass}) does not wake the
 * writer thread: that thread writes the batch itself at the end of its pass, if no one else is writing then — one
 * force for everything the pass produced, and no wake-up of the writer thread and back for each durable write.
 * Whoever writes holds the <em>writer role</em> (a lock), so the log still has one writer at a time. The work between
 * batches ({@link WriterHooks}: checkpoints, compaction, reclaiming segments) stays on the writer thread, which does
 * it a little later ({@value #HOOKS_DELAY_MILLIS} ms) for the batches others wrote, so an event loop never compacts.
 *
 * <p>A failed write or force poisons the writer: the requests waiting for it fail and every later one fails at
 * once. After a failed fsync the kernel may already have dropped the dirty pages it could not write, so a retry
 * that succeeds would prove nothing; only reopening the store (which scans and cuts) restores a known state.
 */
final class GroupCommitWriter implements LogWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** How long after a batch written at the end of a pass the writer thread runs the hooks (it coalesces them). */
    static final long HOOKS_DELAY_MILLIS = 20;
    private static final long HOOKS_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(HOOKS_DELAY_MILLIS);
    /** At most this many requests in a batch written at the end of a pass; the writer thread takes the rest. */
    private static final int MAX_REQUESTS_PER_PASS = 4096;

    private final SegmentLog log;
    private final SegmentAppender appender;
    private final WriterHooks hooks;
    private final long syncBytes;
    private final ConcurrentLinkedQueue<Request<?>> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** Held by whoever appends and forces: the writer thread, or a thread at the end of its pass. */
    private final ReentrantLock role = new ReentrantLock();
    private final Runnable writeAtEndOfPass = this::writeAtEndOfPass;
    private volatile boolean parked;
    /** A batch was written at the end of a pass and the hooks have not run since. */
    private volatile boolean hooksDue;
    private volatile long hooksDueSince;
    private volatile boolean stopping;
    private volatile boolean terminated;
    private volatile StoreException failure;
    private volatile long durable;
    private volatile long fsyncs;
    private volatile long records;
    private volatile long bytes;

    // Writer-role state (see role).
    private final ArrayDeque<Request<?>> awaitingForce = new ArrayDeque<>();
    private final ArrayDeque<Request<?>> awaitingWrite = new ArrayDeque<>();
    private boolean forceWanted;
    private long bytesSinceForce;

    GroupCommitWriter(SegmentLog log, SegmentAppender appender, WriterHooks hooks, long syncBytes, String name) {
        this.log = log;
        this.appender = appender;
        this.hooks = hooks;
        this.syncBytes = syncBytes;
        this.durable = appender.position();
        this.thread = new Thread(this::run, name);
    }

    void start() {
        thread.start();
    }

    <T> CompletableFuture<T> submit(LogTask<T> task, Durability durability) {
        Request<T> request = new Request<>(task, durability);
        StoreException failed = failure;
        if (failed != null) {
            request.future.completeExceptionally(failed);
            return request.future;
        }
        if (stopping) {
            request.future.completeExceptionally(closed());
            return request.future;
        }
        inbox.offer(request);
        if (terminated) {
            failRemaining();
        } else if (!EndOfPass.defer(writeAtEndOfPass) && parked) {
            LockSupport.unpark(thread);
        }
        return request.future;
    }

    /** The writer thread waits for work, no one holds the role and nothing waits in the inbox. */
    boolean idle() {
        return parked && !role.isLocked() && inbox.isEmpty() && !hooksDue;
    }

    long durablePosition() {
        return durable;
    }

    LogStats stats() {
        return new LogStats(fsyncs, records, bytes, durable);
    }

    /** Lets every request submitted so far finish, then stops the thread. */
    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long append(FramedRecord record) throws IOException {
        assert role.isHeldByCurrentThread() : "log appends run in the writer role";
        long address = appender.append(record);
        records++;
        bytes += record.size();
        bytesSinceForce += record.size();
        return address;
    }

    @Override
    public long position() {
        return appender.position();
    }

    @Override
    public long segmentBase(long address) {
        return log.segmentBase(address);
    }

    @Override
    public long activeSegment() {
        return appender.active().base;
    }

    @Override
    public void flush() throws IOException {
        appender.flush();
    }

    @Override
    public void requestSync() {
        forceWanted = true;
    }

    private void run() {
        try {
            boolean done = false;
            while (!done) {
                role.lock();
                try {
                    done = work();
                } finally {
                    role.unlock();
                }
                if (!done) {
                    waitForWork();
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("store writer thread for {} died: every pending write fails", log, e);
            poison(e);
        } finally {
            terminated = true;
            failRemaining();
        }
    }

    /**
     * Writer thread, in the role: every request in the inbox, a force when one is wanted, the hooks when due.
     * Returns true once stopping and nothing is left.
     */
    private boolean work() {
        while (true) {
            Request<?> request = inbox.poll();
            if (request != null) {
                execute(request);
                if (failure == null && forceWanted && bytesSinceForce >= syncBytes) {
                    endBatch(true);
                }
            } else if (failure == null && (forceWanted || !awaitingWrite.isEmpty())) {
                endBatch(true);
            } else if (hooksDue && (stopping || System.nanoTime() - hooksDueSince >= HOOKS_DELAY_NANOS)) {
                runDueHooks();
            } else {
                return stopping;
            }
        }
    }

    private void waitForWork() {
        parked = true;
        if (inbox.isEmpty() && !stopping) {
            if (hooksDue) {
                LockSupport.parkNanos(this, HOOKS_DELAY_NANOS - (System.nanoTime() - hooksDueSince));
            } else {
                LockSupport.park(this);
            }
        }
        parked = false;
    }

    /**
     * At the end of a pass of a thread that submitted requests: writes the batch on that thread when no one else
     * is writing. When someone is, nothing to do: whoever holds the role looks at the inbox again after letting go.
     */
    private void writeAtEndOfPass() {
        if (!stopping && role.tryLock()) {
            try {
                if (!stopping) {
                    writeBatch();
                }
            } catch (RuntimeException | Error e) {
                LOG.error("writing the store in {} at the end of an event loop pass failed", log, e);
                poison(e);
            } finally {
                role.unlock();
            }
        }
        // requests from other threads that came while we wrote (or all of them, when stopping) are the writer
        // thread's
        if (terminated) {
            failRemaining();
        } else if (!inbox.isEmpty()) {
            LockSupport.unpark(thread);
        }
    }

    /** In the role, on a thread at the end of its pass: the requests waiting now, and one force for them. */
    private void writeBatch() {
        Request<?> request;
        for (int n = 0; n < MAX_REQUESTS_PER_PASS && (request = inbox.poll()) != null; n++) {
            execute(request);
            if (failure == null && forceWanted && bytesSinceForce >= syncBytes) {
                endBatch(false);
            }
        }
        if (failure == null && (forceWanted || !awaitingWrite.isEmpty())) {
            endBatch(false);
        }
    }

    private <T> void execute(Request<T> request) {
        StoreException failed = failure;
        if (failed != null) {
            request.future.completeExceptionally(failed);
            return;
        }
        try {
            request.result = request.task.run(this);
        } catch (IOException e) {
            request.future.completeExceptionally(poison(e));
            return;
        } catch (RuntimeException e) {
            request.future.completeExceptionally(e);
            return;
        }
        if (request.durability == Durability.SYNC) {
            awaitingForce.add(request);
            forceWanted = true;
        } else {
            awaitingWrite.add(request);
        }
    }

    /** Flushes, forces when wanted and completes; {@code hooksNow}: run the hooks now, else leave them due. */
    private void endBatch(boolean hooksNow) {
        try {
            appender.flush();
            completeAll(awaitingWrite);
            if (!forceWanted) {
                return;
            }
            appender.force();
            fsyncs++;
            durable = appender.position();
            forceWanted = false;
            bytesSinceForce = 0;
            completeAll(awaitingForce);
            if (hooksNow) {
                hooksDue = false;
                hooks.afterSync(this, durable);
            } else if (!hooksDue) {
                hooksDueSince = System.nanoTime();
                hooksDue = true;
                LockSupport.unpark(thread);
            }
        } catch (IOException | RuntimeException e) {
            poison(e);
        }
    }

    /** The hooks left due by batches written at the end of passes, once disk and memory agree again. */
    private void runDueHooks() {
        hooksDue = false;
        if (failure != null) {
            return;
        }
        if (appender.position() != durable) {
            // lazy writes since the last force: the hooks may only see a log whose end is durable
            forceWanted = true;
            endBatch(true);
            return;
        }
        try {
            hooks.afterSync(this, durable);
        } catch (IOException | RuntimeException e) {
            poison(e);
        }
    }

    private StoreException poison(Throwable cause) {
        StoreException failed = failure;
        if (failed == null) {
            failed = new StoreException("writing the store in " + log + " failed (" + cause
                    + "); writes are refused until the store is reopened: restart the broker, which recovers the "
                    + "log up to its last durable record", cause);
            failure = failed;
            LOG.error("{}", failed.getMessage(), cause);
        }
        failAll(awaitingWrite, failed);
        failAll(awaitingForce, failed);
        forceWanted = false;
        return failed;
    }

    private void failRemaining() {
        StoreException failed = failure != null ? failure : closed();
        Request<?> request;
        while ((request = inbox.poll()) != null) {
            request.future.completeExceptionally(failed);
        }
    }

    private StoreException closed() {
        return new StoreException("the store in " + log + " is closed");
    }

    private static void completeAll(ArrayDeque<Request<?>> requests) {
        Request<?> request;
        while ((request = requests.poll()) != null) {
            request.complete();
        }
    }

    private static void failAll(ArrayDeque<Request<?>> requests, StoreException failed) {
        Request<?> request;
        while ((request = requests.poll()) != null) {
            request.future.completeExceptionally(failed);
        }
    }

    private static final class Request<T> {
        final LogTask<T> task;
        final Durability durability;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;

        Request(LogTask<T> task, Durability durability) {
            this.task = task;
            this.durability = durability;
        }

        void complete() {
            future.complete(result);
        }
    }
}
