package io.ferrymq.store.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** An open file with positional I/O. Reads may run on any thread; writes come from one thread at a time. */
public interface StoreFile extends Closeable {

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}, extending the file if needed. */
    void write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;

    void truncate(long size) throws IOException;

    /** Makes every byte written so far, and the file's size, durable (fdatasync). */
    void force() throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes at {@code position}, failing at end of file. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new IOException("end of file at position " + at + " while " + dst.remaining()
                        + " more bytes were expected");
            }
            at += n;
        }
    }
}
