package io.ferrymq.store.log;

import io.ferrymq.store.file.StoreFile;
import io.ferrymq.store.file.StoreFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Removes the files of deleted segments a slice at a time, on a thread of its own, so that freeing a segment's
 * blocks never stalls the forces of the appends going on meanwhile.
 *
 * <p>Why: on a file system that discards freed blocks as it frees them (ext4 mounted with {@code discard}, common
 * on virtual disks), unlinking a 64 MiB segment took 52-76 ms here, and every {@code fdatasync} issued meanwhile
 * waited as long: a latency spike of that size for every message in flight, once per reclaimed segment. Cut
 * 4 MiB at a time with a pause between the cuts, the same work left the other forces at their usual few ms.
 *
 * <p>{@link #delete} is called once the segment's file was renamed to its {@link SegmentNames#DELETED_SUFFIX}
 * name: that rename (made durable by the caller's directory sync) is the deletion as far as the log is concerned,
 * and a crash before the file is gone leaves a file {@code SegmentLog.open} deletes.
 */
final class SegmentDeleter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);
    private static final long SLICE_BYTES = 4L << 20;
    private static final long PAUSE_MILLIS = 20;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final StoreFiles files;
    private final ExecutorService worker;
    /** Names handed over and not yet removed; guarded by itself. */
    private final List<String> pending = new ArrayList<>();

    SegmentDeleter(StoreFiles files, String threadName) {
        this.files = files;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Removes the (already renamed) file {@code name}, soon, a slice at a time. */
    void delete(String name) {
        synchronized (pending) {
            pending.add(name);
        }
        worker.execute(() -> remove(name));
    }

    /** Whether every file handed over is gone (tests). */
    boolean idle() {
        synchronized (pending) {
            return pending.isEmpty();
        }
    }

    /** Stops pacing: whatever is left is deleted at once (a closing store has no appends left to disturb). */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("deleting segment files in {} did not stop in time (the next open deletes them)", files);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<String> left;
        synchronized (pending) {
            left = new ArrayList<>(pending);
            pending.clear();
        }
        for (String name : left) {
            deleteQuietly(name);
        }
    }

    private void remove(String name) {
        try (StoreFile file = files.open(name, false)) {
            for (long size = file.size(); size > 0 && !Thread.currentThread().isInterrupted(); ) {
                size = Math.max(0, size - SLICE_BYTES);
                file.truncate(size);
                if (size > 0) {
                    TimeUnit.MILLISECONDS.sleep(PAUSE_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // closing: close() deletes what is left
            Thread.currentThread().interrupt();
            return;
        } catch (IOException e) {
            LOG.warn("cutting the deleted segment file {} failed; deleting it whole", files.describe(name), e);
        }
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        deleteQuietly(name);
        synchronized (pending) {
            pending.remove(name);
        }
    }

    private void deleteQuietly(String name) {
        try {
            files.delete(name);
        } catch (IOException e) {
            LOG.warn("deleting the segment file {} failed (the next open deletes it)", files.describe(name), e);
        }
    }
}
