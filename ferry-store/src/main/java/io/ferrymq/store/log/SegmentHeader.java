package io.ferrymq.store.log;

import io.ferrymq.store.UnsupportedFormatException;
import io.ferrymq.store.file.StoreFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 32-byte header at the start of every segment file (big-endian):
 *
 * <pre>
 * offset size field
 *      0    4 magic 'F' 'M' 'Q' 'S' (0x464D5153)
 *      4    2 format version, 1
 *      6    2 header length, 32
 *      8    8 base position: the global position of this file's byte 0; equals the file name
 *     16   12 reserved, zero
 *     28    4 CRC32C of bytes 0..27
 * </pre>
 *
 * The magic and the version keep their offsets in every future version, so that any FerryMQ can tell "a newer
 * format" (refuse to start) from "a damaged header" (quarantine the file and report it).
 */
final class SegmentHeader {

    static final int BYTES = 32;
    static final int MAGIC = 0x464D5153;
    static final short VERSION = 1;
    private static final int CRC_OFFSET = 28;

    private SegmentHeader() {
    }

    static ByteBuffer encode(long base) {
        ByteBuffer header = ByteBuffer.allocate(BYTES);
        header.putInt(MAGIC).putShort(VERSION).putShort((short) BYTES).putLong(base);
        header.putInt(CRC_OFFSET, crc(header));
        return header.position(0).limit(BYTES);
    }

    /**
     * Checks the header of {@code file}.
     *
     * @return null if the header is valid for {@code base}, else why it is damaged
     * @throws UnsupportedFormatException if the header is intact but of a version this build does not read
     */
    static String check(StoreFile file, long size, long base, String describedName) throws IOException {
        if (size < BYTES) {
            return "file is " + size + " bytes, shorter than the " + BYTES + "-byte segment header";
        }
        ByteBuffer header = ByteBuffer.allocate(BYTES);
        file.readFully(header, 0);
        int magic = header.getInt(0);
        if (magic != MAGIC) {
            return "bad magic 0x" + Integer.toHexString(magic);
        }
        int version = header.getShort(4) & 0xFFFF;
        if (version != VERSION) {
            throw new UnsupportedFormatException(describedName, version, VERSION);
        }
        if (header.getInt(CRC_OFFSET) != crc(header)) {
            return "header checksum mismatch";
        }
        if (header.getShort(6) != BYTES) {
            return "header length " + header.getShort(6) + " instead of " + BYTES;
        }
        long recorded = header.getLong(8);
        if (recorded != base) {
            return "header says base position " + recorded + " but the file name says " + base;
        }
        return null;
    }

    private static int crc(ByteBuffer header) {
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(0).limit(CRC_OFFSET));
        return (int) crc.getValue();
    }
}
