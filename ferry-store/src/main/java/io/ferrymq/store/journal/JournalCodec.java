package io.ferrymq.store.journal;

import io.ferrymq.store.StoreException;
import io.ferrymq.store.log.FramedRecord;

import java.nio.ByteBuffer;

/**
 * The journal's record types and payloads, inside the log's framing (big-endian):
 *
 * <pre>
 * type 1 ADD       stream(8) entry(8) [killed address(8) killed size(4)] body
 * type 2 DELETE    stream(8) entry(8)  killed address(8) killed size(4)
 * type 3 METADATA  key(8)    zero(8)  [killed address(8) killed size(4)] value
 * type 4 BATCH     count(4), then whole framed ADD and DELETE records (see {@link BatchRecords})
 *
 * flags  0x01 KILLS      the bracketed kill reference is present (always, for DELETE)
 *        0x02 TOMBSTONE  METADATA only: removes the key; no value; KILLS set
 *        0x04 LZ4        body = original length(4) + LZ4 block
 *        0x08 ZSTD       body = original length(4) + zstd frame
 * </pre>
 *
 * A kill reference names the record that this one makes dead, with its framed size so that live byte counts stay
 * exact without reading it back. An ADD carries one only when compaction copied it (it kills its old copy), a
 * METADATA value when it replaces an older value of the same key. Any other type or flag bit is refused: it means
 * a newer format, not damage (the CRC matched).
 */
final class JournalCodec {

    static final byte ADD = 1;
    static final byte DELETE = 2;
    static final byte METADATA = 3;
    /** Never decoded here: {@link BatchRecords#unpacking} hands its inner records over one by one. */
    static final byte BATCH = 4;

    static final byte KILLS = 0x01;
    static final byte TOMBSTONE = 0x02;
    static final byte LZ4 = 0x04;
    static final byte ZSTD = 0x08;
    private static final int KNOWN_FLAGS = KILLS | TOMBSTONE | LZ4 | ZSTD;

    static final int KEY_BYTES = 16;
    static final int KILL_BYTES = 12;

    private JournalCodec() {
    }

    static FramedRecord add(long stream, long entry, EncodedBody body) {
        return frame(ADD, body.flags(), stream, entry, -1, 0, body.bytes());
    }

    static FramedRecord delete(long stream, long entry, long killAddress, int killSize) {
        return frame(DELETE, (byte) 0, stream, entry, killAddress, killSize, null);
    }

    static FramedRecord metadata(long key, long killAddress, int killSize, EncodedBody value) {
        return frame(METADATA, value.flags(), key, 0, killAddress, killSize, value.bytes());
    }

    static FramedRecord tombstone(long key, long killAddress, int killSize) {
        return frame(METADATA, TOMBSTONE, key, 0, killAddress, killSize, null);
    }

    /** A copy of a live value record that kills the original: what compaction writes. */
    static FramedRecord relocated(JournalRecord original) {
        byte compression = (byte) (original.flags() & (LZ4 | ZSTD));
        return frame(original.type(), compression, original.stream(), original.entry(), original.address(),
                original.size(), original.body());
    }

    private static FramedRecord frame(byte type, byte flags, long stream, long entry, long killAddress,
                                      int killSize, ByteBuffer body) {
        boolean kills = killAddress >= 0;
        int bodyLength = body == null ? 0 : body.remaining();
        byte[] frame = FramedRecord.allocate(KEY_BYTES + (kills ? KILL_BYTES : 0) + bodyLength);
        ByteBuffer out = ByteBuffer.wrap(frame).position(FramedRecord.HEADER_BYTES);
        out.putLong(stream).putLong(entry);
        if (kills) {
            out.putLong(killAddress).putInt(killSize);
        }
        if (body != null) {
            out.put(body.duplicate());
        }
        return FramedRecord.seal(type, (byte) (flags | (kills ? KILLS : 0)), frame);
    }

    /**
     * Decodes a record's payload (not copied: the body is a view of {@code payload}).
     *
     * @throws StoreException if the type, flags or length are not this version's
     */
    static JournalRecord decode(long address, int size, byte type, byte flags, ByteBuffer payload) {
        String problem = check(type, flags, payload.remaining());
        if (problem != null) {
            throw new StoreException("the store record at position " + address + " has " + problem
                    + ": it was written by a newer FerryMQ; start the version that wrote this data directory");
        }
        ByteBuffer in = payload.duplicate();
        long stream = in.getLong();
        long entry = in.getLong();
        long killAddress = -1;
        int killSize = 0;
        if ((flags & KILLS) != 0) {
            killAddress = in.getLong();
            killSize = in.getInt();
        }
        return new JournalRecord(address, size, type, flags, stream, entry, killAddress, killSize, in.slice());
    }

    private static String check(byte type, byte flags, int length) {
        if (type != ADD && type != DELETE && type != METADATA) {
            return "unknown record type " + type;
        }
        if ((flags & ~KNOWN_FLAGS) != 0 || (flags & (LZ4 | ZSTD)) == (LZ4 | ZSTD)) {
            return "unknown flags 0x" + Integer.toHexString(flags & 0xFF);
        }
        boolean kills = (flags & KILLS) != 0;
        boolean tombstone = (flags & TOMBSTONE) != 0;
        if ((type == DELETE && (!kills || flags != KILLS)) || (tombstone && (type != METADATA || !kills))) {
            return "flags 0x" + Integer.toHexString(flags & 0xFF) + " that type " + type + " cannot have";
        }
        int fixed = KEY_BYTES + (kills ? KILL_BYTES : 0);
        boolean bodiless = type == DELETE || tombstone;
        if (length < fixed || (bodiless && length != fixed)) {
            return "a " + length + "-byte payload, impossible for type " + type;
        }
        return null;
    }

    /** A readable name of a record type byte, for reports. */
    static String typeName(int type) {
        return switch (type) {
            case ADD -> "add";
            case DELETE -> "delete";
            case METADATA -> "metadata";
            case BATCH -> "batch";
            default -> "record of unknown type " + type;
        };
    }
}
