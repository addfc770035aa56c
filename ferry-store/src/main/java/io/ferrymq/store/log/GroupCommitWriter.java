package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Owned by the writer thread it starts ({@link #submit} is safe from any thread): the log's one writer and its
 * inbox (group commit).
 *
 * <p>The thread drains the inbox, running each request (which appends records) as it comes. When the inbox runs
 * dry, or when {@code syncBytes} were written since the last force while durable requests wait, it forces the
 * active segment once, advances {@link #durablePosition()} and completes every waiting request. So a batch is
 * whatever arrived while the previous force ran: batches grow with load and no timer is involved.
 *
 * <p>A failed write or force poisons the writer: the requests waiting for it fail and every later one fails at
 * once. After a failed fsync the kernel may already have dropped the dirty pages it could not write, so a retry
 * that succeeds would prove nothing; only reopening the store (which scans and cuts) restores a known state.
 */
final class GroupCommitWriter implements LogWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final SegmentLog log;
    private final SegmentAppender appender;
    private final WriterHooks hooks;
    private final long syncBytes;
    private final ConcurrentLinkedQueue<Request<?>> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean stopping;
    private volatile boolean terminated;
    private volatile StoreException failure;
    private volatile long durable;
    private volatile long fsyncs;
    private volatile long records;
    private volatile long bytes;

    // Writer-thread state.
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
        } else if (parked) {
            LockSupport.unpark(thread);
        }
        return request.future;
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
        assert Thread.currentThread() == thread : "log appends run on the writer thread";
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
            while (true) {
                Request<?> request = inbox.poll();
                if (request != null) {
                    execute(request);
                    if (failure == null && forceWanted && bytesSinceForce >= syncBytes) {
                        endBatch();
                    }
                } else if (failure == null && (forceWanted || !awaitingWrite.isEmpty())) {
                    endBatch();
                } else if (stopping) {
                    break;
                } else {
                    park();
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

    private void park() {
        parked = true;
        if (inbox.isEmpty() && !stopping) {
            LockSupport.park(this);
        }
        parked = false;
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

    private void endBatch() {
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
