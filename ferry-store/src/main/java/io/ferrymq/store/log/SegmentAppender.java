package io.ferrymq.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Owned by the writer thread: appends framed records to the active segment through a write buffer and rolls to a
 * new segment when the next record would overflow it.
 *
 * <p>Invariant: every segment but the active one is completely forced — the roll forces the old segment before
 * the first byte goes to the new one — so recovery may treat damage in a sealed segment as corruption, never as
 * a torn write.
 */
final class SegmentAppender {

    /** Creates, forces and registers the segment file starting at {@code base}. */
    @FunctionalInterface
    interface SegmentFactory {
        Segment create(long base) throws IOException;
    }

    private final SegmentFactory factory;
    private final long segmentBytes;
    private final ByteBuffer buffer;
    private Segment active;

    SegmentAppender(SegmentFactory factory, Segment active, long segmentBytes, int bufferBytes) {
        this.factory = factory;
        this.active = active;
        this.segmentBytes = segmentBytes;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    long position() {
        return active.end() + buffer.position();
    }

    Segment active() {
        return active;
    }

    long append(FramedRecord record) throws IOException {
        long used = active.size() + buffer.position();
        if (used > SegmentHeader.BYTES && used + record.size() > segmentBytes) {
            roll();
        }
        long address = position();
        if (record.size() > buffer.remaining()) {
            flush();
        }
        if (record.size() > buffer.capacity()) {
            active.file.write(record.bytes(), active.size());
            active.size(active.size() + record.size());
        } else {
            buffer.put(record.bytes());
        }
        return address;
    }

    /** Hands the buffered bytes to the file (readable by other threads afterwards, not yet durable). */
    void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int length = buffer.remaining();
        active.file.write(buffer, active.size());
        buffer.clear();
        active.size(active.size() + length);
    }

    void force() throws IOException {
        flush();
        active.file.force();
    }

    private void roll() throws IOException {
        force();
        active = factory.create(active.end());
    }
}
