package io.ferrymq.store.log;

import io.ferrymq.store.file.StoreFile;
import io.ferrymq.store.file.StoreFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@link #prepare()} and {@link #take()} on the writer thread (or the opening thread before it starts); the work
 * runs on a thread of its own: makes the next segment's file ahead of its roll, so that the roll does not stall the
 * writer for the time it takes to allocate a whole segment.
 *
 * <p>The file ({@link SegmentNames#PREPARED}) gets the full segment size in real, zero-filled blocks, since a sparse
 * file ({@code setLength}) would allocate its blocks only when the appends come, and each force would then commit
 * the size and extent change again. The zeros go out a chunk at a time, each forced before the next, with a pause
 * as long as the chunk took: written all at once and forced at the end, the 64 MiB of a default segment sat in the
 * disk's queue for 130 ms here, and every durable append's force in that time waited behind it (confirm latency
 * p99 130 ms in the second it happened). Paced, an append's force waits behind one chunk at most, and preparing
 * still takes well under the time the fastest scenario needs to fill a segment. Nothing makes the file's
 * directory entry durable: a crash may leave it or not, and {@code SegmentLog.open} deletes it either way. The roll
 * writes the header, forces it and renames the file to the segment's name.
 */
final class SegmentPreparer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentPreparer.class);
    private static final int CHUNK_BYTES = 1 << 20;
    /** The pause after a chunk, as a multiple of the time its write and force took: the disk stays half free. */
    private static final int PAUSE_PER_BUSY = 1;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final StoreFiles files;
    private final long segmentBytes;
    private final ExecutorService worker;
    /** Volatile only so that a test can ask {@link #ready()} from its own thread. */
    private volatile Future<StoreFile> pending;

    SegmentPreparer(StoreFiles files, long segmentBytes, String threadName) {
        this.files = files;
        this.segmentBytes = segmentBytes;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts preparing the next segment's file, unless one is prepared or being prepared. */
    void prepare() {
        if (pending == null) {
            pending = worker.submit(this::allocate);
        }
    }

    /** Whether {@link #take()} would return a file now (a failed preparation is reported and forgotten). */
    boolean ready() {
        Future<StoreFile> current = pending;
        if (current == null || !current.isDone()) {
            return false;
        }
        if (failed(current)) {
            take();
            return false;
        }
        return true;
    }

    /**
     * The prepared file if it is ready, else null without waiting: the roll then creates its segment the plain way.
     * The file keeps the name {@link SegmentNames#PREPARED} until the caller renames it.
     */
    StoreFile take() {
        Future<StoreFile> current = pending;
        if (current == null || !current.isDone()) {
            return null;
        }
        pending = null;
        try {
            return current.get();
        } catch (ExecutionException e) {
            LOG.warn("preparing the next segment file in {} failed; the next roll creates it instead", files,
                    e.getCause());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Stops the preparation and deletes a prepared file nobody took. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("preparing the next segment file in {} did not stop in time", files);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        StoreFile unused = take();
        if (unused != null) {
            try {
                unused.close();
                files.delete(SegmentNames.PREPARED);
            } catch (IOException e) {
                LOG.warn("deleting the unused segment file {} failed (the next open deletes it)",
                        files.describe(SegmentNames.PREPARED), e);
            }
        }
    }

    private StoreFile allocate() throws IOException {
        StoreFile file = files.open(SegmentNames.PREPARED, true);
        try {
            file.truncate(0);
            ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK_BYTES);
            for (long at = 0; at < segmentBytes; at += CHUNK_BYTES) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException("preparing the next segment file was stopped");
                }
                long started = System.nanoTime();
                file.write(zeros.clear().limit((int) Math.min(CHUNK_BYTES, segmentBytes - at)), at);
                file.force();
                pause((System.nanoTime() - started) * PAUSE_PER_BUSY);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            file.close();
            files.delete(SegmentNames.PREPARED);
            throw e;
        }
    }

    private static void pause(long nanos) throws IOException {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("preparing the next segment file was stopped", e);
        }
    }

    private static boolean failed(Future<StoreFile> done) {
        try {
            done.get();
            return false;
        } catch (ExecutionException | InterruptedException e) {
            return true;
        }
    }
}
