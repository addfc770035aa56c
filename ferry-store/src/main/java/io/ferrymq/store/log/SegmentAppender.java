package io.ferrymq.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * Owned by the writer thread: appends framed records to the active segment through a write buffer and rolls to a
 * new segment when the next record would overflow it.
 *
 * <p>Invariant: every segment but the active one is completely forced and ends where its records end — the roll
 * cuts a preallocated zero tail off the old segment and forces it before the first byte goes to the new one — so
 * recovery may treat damage in a sealed segment as corruption, never as a torn write.
 *
 * <p>Appends go into preallocated blocks when the active segment was made from a prepared file
 * ({@link SegmentPreparer}). An active segment that is not (the first one of a new log, one recovery cut, or one
 * whose roll found no prepared file) is rolled early, at the next append once a prepared file is ready: its few
 * records stay in a small sealed segment, and every force after that overwrites allocated blocks.
 */
final class SegmentAppender {

    /** Creates, forces and registers the segment file starting at {@code base}. */
    @FunctionalInterface
    interface SegmentFactory {
        Segment create(long base) throws IOException;
    }

    private final SegmentFactory factory;
    private final BooleanSupplier preparedReady;
    private final long segmentBytes;
    private final ByteBuffer buffer;
    private Segment active;

    /**
     * @param preparedReady whether a preallocated segment file is ready for the next roll (always false when the
     *                      log does not preallocate)
     */
    SegmentAppender(SegmentFactory factory, BooleanSupplier preparedReady, Segment active, long segmentBytes,
                    int bufferBytes) {
        this.factory = factory;
        this.preparedReady = preparedReady;
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
        boolean full = used > SegmentHeader.BYTES && used + record.size() > segmentBytes;
        if (full || (!active.preallocated() && preparedReady.getAsBoolean())) {
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

    /**
     * Forces the active segment with its file cut to its records' end, as a sealed segment is (a clean close).
     * Appending afterwards still works, into blocks that are no longer preallocated.
     */
    void seal() throws IOException {
        flush();
        active.trimTail();
        active.file.force();
    }

    private void roll() throws IOException {
        seal();
        active = factory.create(active.end());
    }
}
