package io.ferrymq.store.log;

import io.ferrymq.store.file.StoreFile;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Owned by the scanning thread: sequential reads of one segment through a window, so that a scan costs one system
 * call per window instead of two per record. The views it returns are valid until the next call.
 */
final class SegmentReader {

    private final StoreFile file;
    private final long fileSize;
    private final ByteBuffer window;
    private long windowStart;
    private int windowLength;

    SegmentReader(StoreFile file, long fileSize, int windowBytes) {
        this.file = file;
        this.fileSize = fileSize;
        this.window = ByteBuffer.allocate(windowBytes);
    }

    /** A read-only view of {@code length} bytes at file offset {@code offset}, which must lie inside the file. */
    ByteBuffer bytes(long offset, int length) throws IOException {
        if (offset < windowStart || offset + length > windowStart + windowLength) {
            if (length > window.capacity()) {
                ByteBuffer large = ByteBuffer.allocate(length);
                file.readFully(large, offset);
                return large.flip().asReadOnlyBuffer();
            }
            fill(offset);
        }
        int from = (int) (offset - windowStart);
        return window.asReadOnlyBuffer().position(from).limit(from + length).slice();
    }

    private void fill(long offset) throws IOException {
        int length = (int) Math.min(window.capacity(), fileSize - offset);
        window.clear().limit(length);
        file.readFully(window, offset);
        windowStart = offset;
        windowLength = length;
    }
}
