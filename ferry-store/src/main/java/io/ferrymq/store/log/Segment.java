package io.ferrymq.store.log;

import io.ferrymq.store.file.StoreFile;

/**
 * One open segment file. Any thread reads it; only the writer thread (or recovery, before the writer starts)
 * writes it and moves {@link #size()}, which bounds what readers may read.
 */
final class Segment {

    final long base;
    final String name;
    final StoreFile file;
    private volatile long size;

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

    long end() {
        return base + size;
    }

    @Override
    public String toString() {
        return name;
    }
}
