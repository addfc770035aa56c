package io.ferrymq.store.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One record framed for the log, built (and checksummed) on the caller's thread so that the writer thread only
 * copies bytes. Layout (big-endian), at the record's address:
 *
 * <pre>
 * offset size field
 *      0    4 length L of the payload, 0 ≤ L ≤ {@link #MAX_PAYLOAD_BYTES}
 *      4    4 CRC32C of bytes 8 .. 10+L (type, flags, payload)
 *      8    1 type (never 0)
 *      9    1 flags
 *     10    L payload
 * </pre>
 */
public final class FramedRecord {

    public static final int HEADER_BYTES = 10;
    /** Keeps a record's offset inside a segment an {@code int} even for a segment holding one huge record. */
    public static final int MAX_PAYLOAD_BYTES = (1 << 30) - 64;

    private final byte[] frame;

    private FramedRecord(byte[] frame) {
        this.frame = frame;
    }

    /** Frames a copy of {@code payload}'s remaining bytes (its position is not moved). */
    public static FramedRecord of(byte type, byte flags, ByteBuffer payload) {
        byte[] frame = allocate(payload.remaining());
        payload.duplicate().get(frame, HEADER_BYTES, payload.remaining());
        return seal(type, flags, frame);
    }

    /** A frame of {@code HEADER_BYTES + payloadLength} bytes whose payload the caller fills from offset 10. */
    public static byte[] allocate(int payloadLength) {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("record payload of " + payloadLength + " bytes is larger than the "
                    + MAX_PAYLOAD_BYTES + " bytes a store record can hold");
        }
        return new byte[HEADER_BYTES + payloadLength];
    }

    /** Fills in the header of a frame from {@link #allocate} whose payload is in place; takes ownership of it. */
    public static FramedRecord seal(byte type, byte flags, byte[] frame) {
        if (type == 0) {
            throw new IllegalArgumentException("record type 0 is reserved");
        }
        ByteBuffer header = ByteBuffer.wrap(frame);
        header.putInt(0, frame.length - HEADER_BYTES);
        header.put(8, type).put(9, flags);
        header.putInt(4, crc(ByteBuffer.wrap(frame, 8, frame.length - 8)));
        return new FramedRecord(frame);
    }

    /** CRC32C of the checksummed bytes: type, flags and payload. */
    static int crc(ByteBuffer typeFlagsPayload) {
        CRC32C crc = new CRC32C();
        crc.update(typeFlagsPayload);
        return (int) crc.getValue();
    }

    static int crc(byte type, byte flags, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(flags);
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    public int size() {
        return frame.length;
    }

    /** Copies the whole frame into {@code out} at its position (a batch record embeds whole frames). */
    public void copyTo(ByteBuffer out) {
        out.put(frame);
    }

    /** The whole frame, read-only. */
    ByteBuffer bytes() {
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }
}
