package io.ferrymq.store.log;

import io.ferrymq.store.file.StoreFile;

import java.io.IOException;

/**
 * One open segment file. Any thread reads it; only the writer thread (or recovery, before the writer starts)
 * writes it and moves {@link #size()}, which bounds what readers may read.
 *
 * <p>{@link #size()} is the segment's logical end, where its records end. The file may be longer: the active
 * segment, when it was {@link #preallocated()}, has a tail of zero-filled blocks after its records, which appends
 * overwrite. A roll (and a clean close) truncates that tail before the final force, so a sealed segment's file
 * ends exactly where its records do.
 */
final class Segment {

    final long base;
    final String name;
    final StoreFile file;
    private volatile long size;
    /** Whether the file holds zero-filled blocks after {@link #size()}. Writer thread (or recovery) only. */
    private boolean preallocated;

    Segment(long base, String name, StoreFile file, long size) {
        this.base = base;
        this.name = name;
        this.file = file;
        this.size = size;
    }

    /** Bytes of the file that hold the header and complete, written records. */
    long size() {
        return size;
    }

    void size(long bytes) {
        size = bytes;
    }

    boolean preallocated() {
        return preallocated;
    }

    void preallocated(boolean zeroTail) {
        preallocated = zeroTail;
    }

    /**
     * Cuts a preallocated zero tail off the file, so that it ends where the records end. The caller forces the
     * file afterwards (an fdatasync makes the new size durable with the data).
     */
    void trimTail() throws IOException {
        if (preallocated) {
            file.truncate(size);
            preallocated = false;
        }
    }

    long end() {
        return base + size;
    }

    @Override
    public String toString() {
        return name;
    }
}
