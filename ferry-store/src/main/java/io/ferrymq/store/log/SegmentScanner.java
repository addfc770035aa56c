package io.ferrymq.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Used by one thread for one scan: walks the records of one segment from an offset, checking each one's length and
 * CRC32C, and decides what damage means:
 *
 * <ul>
 *   <li>A record that ends exactly at the end of the file but fails its checksum, an incomplete header, or a
 *       length running past the end: the end of the file is cut. In the last segment that is a crash's torn tail
 *       ({@link DamageKind#TORN_TAIL}), unless it lies below {@code durableHint}, where every byte was forced
 *       before and damage can only be corruption.</li>
 *   <li>A record in the middle that fails its checksum while the record right after it is intact: skipped and
 *       reported ({@link DamageKind#CORRUPT_SKIPPED}). A length that cannot be right, or a bad record followed by
 *       no intact one: framing is lost and the rest of the segment is cut ({@link DamageKind#CORRUPT_CUT}).</li>
 *   <li>Zeros from a record boundary to the end of the file, in the last segment and at or above
 *       {@code durableHint}, on a disk that preallocates: the preallocated tail of the active segment that a crash left ({@link SegmentLog}).
 *       That is a clean end, not damage: nothing is reported, and a repairing scan keeps the zeros (the segment's
 *       logical end moves there, and appends continue into them). Zeros anywhere else (a sealed segment, below the
 *       hint, or followed by any non-zero byte) follow the rules above: a record of type 0 is never intact. Where
 *       the store does not preallocate, a zero tail is a torn record (a length field's leading zeros) and is cut
 *       as one.</li>
 * </ul>
 *
 * Cutting truncates and forces the file only when {@code repair} is set (recovery, before the writer starts);
 * otherwise the scan only stops there.
 */
final class SegmentScanner {

    /**
     * Under half of G1's smallest region (1 MiB), so that the window is an ordinary young allocation: a "humongous"
     * one goes straight to the old generation and may start a collection, and compaction makes a scanner for each
     * step it takes.
     */
    private static final int WINDOW_BYTES = 256 << 10;
    private static final int HEAD_BYTES = 16;

    private final Segment segment;
    private final String describedName;
    private final boolean last;
    private final boolean repair;
    private final boolean zeroTailIsEnd;
    private final long durableHint;
    private final ScanListener listener;
    private final SegmentReader reader;
    private final long fileSize;

    SegmentScanner(Segment segment, String describedName, boolean last, boolean repair, boolean zeroTailIsEnd,
                   long durableHint, ScanListener listener) {
        this.segment = segment;
        this.describedName = describedName;
        this.last = last;
        this.repair = repair;
        this.zeroTailIsEnd = zeroTailIsEnd;
        this.durableHint = durableHint;
        this.listener = listener;
        this.fileSize = segment.size();
        this.reader = new SegmentReader(segment.file, fileSize, WINDOW_BYTES);
    }

    /**
     * Scans from {@code offset} until the end of the segment, or until at least {@code maxBytes} were scanned.
     *
     * @return the offset where the scan stopped: the end of the (possibly cut) segment, or the next record
     */
    long scan(long offset, long maxBytes) throws IOException {
        long pos = offset;
        long stopAt = maxBytes >= fileSize ? fileSize : Math.min(fileSize, offset + maxBytes);
        while (pos < stopAt) {
            if (mayBeZeroTail(pos) && zerosToEnd(pos)) {
                return zeroTail(pos);
            }
            if (fileSize - pos < FramedRecord.HEADER_BYTES) {
                return cut(pos, -1, "incomplete record header");
            }
            ByteBuffer header = reader.bytes(pos, FramedRecord.HEADER_BYTES);
            int length = header.getInt(0);
            int crc = header.getInt(4);
            byte type = header.get(8);
            byte flags = header.get(9);
            if (length < 0 || length > FramedRecord.MAX_PAYLOAD_BYTES) {
                return cut(pos, -1, "impossible record length " + length);
            }
            long next = pos + FramedRecord.HEADER_BYTES + length;
            if (next > fileSize) {
                return cut(pos, type, "record of " + length + " bytes runs past the end of the file");
            }
            ByteBuffer payload = reader.bytes(pos + FramedRecord.HEADER_BYTES, length);
            if (type != 0 && FramedRecord.crc(type, flags, payload) == crc) {
                listener.record(segment.base + pos, (int) (next - pos), type, flags, payload);
                pos = next;
                continue;
            }
            byte[] head = head(payload);
            if (next == fileSize) {
                return cut(pos, type, head, "checksum mismatch in the last record of the file");
            }
            if (!intactAt(next)) {
                return cut(pos, type, head, "checksum mismatch and no intact record follows");
            }
            listener.damaged(new Damage(DamageKind.CORRUPT_SKIPPED, describedName, segment.base + pos, next - pos,
                    type & 0xFF, head, "checksum mismatch in a " + length + "-byte record; the next record is "
                    + "intact, so only this one is lost"));
            pos = next;
        }
        return pos;
    }

    /** Whether a preallocated tail may start at {@code pos}: where one may be, and no record starts there. */
    private boolean mayBeZeroTail(long pos) throws IOException {
        if (!zeroTailIsEnd || !last || segment.base + pos < durableHint) {
            return false;
        }
        ByteBuffer head = reader.bytes(pos, (int) Math.min(FramedRecord.HEADER_BYTES, fileSize - pos));
        while (head.hasRemaining()) {
            if (head.get() != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean zerosToEnd(long pos) throws IOException {
        for (long at = pos; at < fileSize; ) {
            int length = (int) Math.min(WINDOW_BYTES, fileSize - at);
            ByteBuffer bytes = reader.bytes(at, length);
            int i = 0;
            for (; i + Long.BYTES <= length; i += Long.BYTES) {
                if (bytes.getLong(i) != 0) {
                    return false;
                }
            }
            for (; i < length; i++) {
                if (bytes.get(i) != 0) {
                    return false;
                }
            }
            at += length;
        }
        return true;
    }

    /** The records end at {@code pos}, followed by preallocated zeros only. */
    private long zeroTail(long pos) {
        if (repair) {
            segment.size(pos);
            segment.preallocated(true);
        }
        return pos;
    }

    private boolean intactAt(long pos) throws IOException {
        if (fileSize - pos < FramedRecord.HEADER_BYTES) {
            return false;
        }
        ByteBuffer header = reader.bytes(pos, FramedRecord.HEADER_BYTES);
        int length = header.getInt(0);
        int crc = header.getInt(4);
        byte type = header.get(8);
        byte flags = header.get(9);
        if (length < 0 || type == 0 || pos + FramedRecord.HEADER_BYTES + length > fileSize) {
            return false;
        }
        return FramedRecord.crc(type, flags, reader.bytes(pos + FramedRecord.HEADER_BYTES, length)) == crc;
    }

    private long cut(long pos, int type, String detail) throws IOException {
        return cut(pos, type, new byte[0], detail);
    }

    private long cut(long pos, int type, byte[] head, String detail) throws IOException {
        long address = segment.base + pos;
        DamageKind kind = last && address >= durableHint ? DamageKind.TORN_TAIL : DamageKind.CORRUPT_CUT;
        String action = repair ? "cut the file there" : "stopped reading there";
        listener.damaged(new Damage(kind, describedName, address, fileSize - pos, type < 0 ? -1 : type & 0xFF,
                head, detail + "; " + action));
        if (repair) {
            segment.file.truncate(pos);
            segment.file.force();
            segment.size(pos);
        }
        return pos;
    }

    private static byte[] head(ByteBuffer payload) {
        byte[] head = new byte[Math.min(HEAD_BYTES, payload.remaining())];
        payload.duplicate().get(head);
        return head;
    }
}
