package io.ferrymq.store.journal;

import io.ferrymq.store.StoreException;
import io.ferrymq.store.log.Damage;
import io.ferrymq.store.log.FramedRecord;
import io.ferrymq.store.log.ScanListener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The journal's atomic batch: one log record that holds whole journal records, so that they become durable
 * together or not at all. Layout of the BATCH record's payload (type 4, flags 0; big-endian):
 *
 * <pre>
 * offset size field
 *      0    4 count N of inner records, N ≥ 1
 *      4    …  N inner records, back to back, each framed exactly as a record at top level:
 *              length L (4), CRC32C of type+flags+payload (4), type (1), flags (1), payload (L)
 * </pre>
 *
 * Inner records are ADD or DELETE records (never METADATA, never another BATCH). The outer CRC covers every inner
 * byte, so a batch torn anywhere fails it and recovery cuts the whole batch: none of its records is seen. An inner
 * record's address is the position of its own first byte (the batch's address + 14 + its offset in the payload),
 * and its frame is complete with its own CRC, so {@code read}, {@code delete} and replay use it like any other
 * record; accounting, reclaim and compaction see the inner records one by one ({@link #unpacking}), and
 * compaction copies a live inner add forward as a plain record (the batch's atomicity matters only until it is
 * durable).
 */
final class BatchRecords {

    static final int COUNT_BYTES = 4;
    /** From a batch's address to its first inner record. */
    static final int FIRST_INNER = FramedRecord.HEADER_BYTES + COUNT_BYTES;

    private BatchRecords() {
    }

    /**
     * Frames {@code inner} as one batch record.
     *
     * @throws IllegalArgumentException if the batch is larger than a record can be
     */
    static FramedRecord frame(List<FramedRecord> inner) {
        long length = COUNT_BYTES;
        for (FramedRecord record : inner) {
            length += record.size();
        }
        if (length > FramedRecord.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a batch of " + inner.size() + " records takes " + length
                    + " bytes, more than the " + FramedRecord.MAX_PAYLOAD_BYTES + " a store record can hold: split it");
        }
        byte[] frame = FramedRecord.allocate((int) length);
        ByteBuffer out = ByteBuffer.wrap(frame).position(FramedRecord.HEADER_BYTES);
        out.putInt(inner.size());
        for (FramedRecord record : inner) {
            record.copyTo(out);
        }
        return FramedRecord.seal(JournalCodec.BATCH, (byte) 0, frame);
    }

    /** A scan listener that hands {@code delegate} each record of a batch as if it stood alone, others as they are. */
    static ScanListener unpacking(ScanListener delegate) {
        return new Unpacking(delegate);
    }

    private static final class Unpacking implements ScanListener {
        private final ScanListener delegate;

        Unpacking(ScanListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void record(long address, int size, byte type, byte flags, ByteBuffer payload) throws IOException {
            if (type != JournalCodec.BATCH) {
                delegate.record(address, size, type, flags, payload);
                return;
            }
            // The outer CRC matched: a batch that does not parse was written by a newer format, not damaged.
            int length = payload.remaining();
            if (flags != 0 || length < COUNT_BYTES) {
                throw newer(address, "flags 0x" + Integer.toHexString(flags & 0xFF) + " or length " + length);
            }
            int count = payload.getInt(payload.position());
            int at = COUNT_BYTES;
            for (int i = 0; i < count; i++) {
                if (at + FramedRecord.HEADER_BYTES > length) {
                    throw newer(address, "an inner record " + i + " of " + count + " past the batch's end");
                }
                int innerLength = payload.getInt(payload.position() + at);
                byte innerType = payload.get(payload.position() + at + 8);
                byte innerFlags = payload.get(payload.position() + at + 9);
                int innerSize = FramedRecord.HEADER_BYTES + innerLength;
                if (innerLength < 0 || innerSize > length - at) {
                    throw newer(address, "an inner record of " + innerLength + " bytes past the batch's end");
                }
                if (innerType != JournalCodec.ADD && innerType != JournalCodec.DELETE) {
                    throw newer(address, "an inner record of type " + innerType);
                }
                ByteBuffer innerPayload = payload.duplicate()
                        .position(payload.position() + at + FramedRecord.HEADER_BYTES)
                        .limit(payload.position() + at + innerSize).slice();
                delegate.record(address + FramedRecord.HEADER_BYTES + at, innerSize, innerType, innerFlags,
                        innerPayload);
                at += innerSize;
            }
            if (at != length) {
                throw newer(address, (length - at) + " bytes after its " + count + " inner records");
            }
        }

        @Override
        public void damaged(Damage damage) {
            delegate.damaged(damage);
        }

        private static StoreException newer(long address, String what) {
            return new StoreException("the batch record at position " + address + " has " + what
                    + ": it was written by a newer FerryMQ; start the version that wrote this data directory");
        }
    }
}
