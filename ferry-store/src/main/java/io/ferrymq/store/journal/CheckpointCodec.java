package io.ferrymq.store.journal;

import io.ferrymq.store.StoreException;
import io.ferrymq.store.UnsupportedFormatException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of the {@code checkpoint} file (big-endian):
 *
 * <pre>
 * offset size field
 *      0    4 magic 'F' 'M' 'Q' 'C' (0x464D5143)
 *      4    2 format version, 1
 *      6    2 reserved, zero
 *      8    8 body length B
 *     16    B body
 *   16+B    4 CRC32C of bytes 0 .. 16+B
 *
 * body:
 *   position P (8): everything below P was durable and is described here; recovery scans from P
 *   segment count (4), then for each segment, by base:
 *     base (8), end (4: offset past its last record below P), live values (4), live bytes (8),
 *     all-dead-below offset (4), dead offset count D (4), D offsets (4 each),
 *     pin count K (4), K pins: target segment base (8), kill records (4), bytes of pure kill records (8)
 *   metadata count M (4), M values: key (8), address (8), framed size (4)
 * </pre>
 *
 * No list of live entries is needed: a segment's live entries are its value records minus its dead offsets.
 */
final class CheckpointCodec {

    static final int MAGIC = 0x464D5143;
    static final short VERSION = 1;
    private static final int PREAMBLE = 16;

    private CheckpointCodec() {
    }

    static byte[] encode(long position, Ledger ledger, MetadataIndex metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeShort(0);
            out.writeLong(0);
            out.writeLong(position);
            out.writeInt(ledger.states().size());
            for (SegmentState state : ledger.states()) {
                out.writeLong(state.base);
                out.writeInt(state.end());
                out.writeInt(state.live());
                out.writeLong(state.liveBytes());
                out.writeInt(state.allDeadBelow());
                out.writeInt(state.dead().size());
                int[] dead = new int[state.dead().size()];
                int[] at = {0};
                state.dead().forEach(offset -> dead[at[0]++] = offset);
                for (int offset : dead) {
                    out.writeInt(offset);
                }
                out.writeInt(state.pins().size());
                for (Map.Entry<Long, SegmentState.Pin> pin : state.pins().entrySet()) {
                    out.writeLong(pin.getKey());
                    out.writeInt(pin.getValue().count);
                    out.writeLong(pin.getValue().bytes);
                }
            }
            out.writeInt(metadata.size());
            for (MetadataIndex.Ref ref : metadata.byAddress()) {
                out.writeLong(ref.key());
                out.writeLong(ref.address());
                out.writeInt(ref.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer file = ByteBuffer.allocate(bytes.size() + 4);
        file.put(bytes.toByteArray());
        file.putLong(8, bytes.size() - PREAMBLE);
        CRC32C crc = new CRC32C();
        crc.update(file.array(), 0, bytes.size());
        file.putInt(bytes.size(), (int) crc.getValue());
        return file.array();
    }

    /**
     * @throws UnsupportedFormatException if the file is intact but of a newer version
     * @throws StoreException             if it is damaged
     */
    static Checkpoint decode(byte[] file, String describedName) {
        ByteBuffer in = ByteBuffer.wrap(file);
        try {
            if (in.getInt() != MAGIC) {
                throw new StoreException("checkpoint " + describedName + " has a bad magic number");
            }
            int version = in.getShort() & 0xFFFF;
            if (version != VERSION) {
                throw new UnsupportedFormatException(describedName, version, VERSION);
            }
            in.getShort();
            long bodyLength = in.getLong();
            if (bodyLength < 0 || PREAMBLE + bodyLength + 4 != file.length) {
                throw new StoreException("checkpoint " + describedName + " is " + file.length
                        + " bytes but says its body is " + bodyLength);
            }
            CRC32C crc = new CRC32C();
            crc.update(file, 0, file.length - 4);
            if ((int) crc.getValue() != in.getInt(file.length - 4)) {
                throw new StoreException("checkpoint " + describedName + " fails its checksum");
            }
            return decodeBody(in);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new StoreException("checkpoint " + describedName + " is truncated or malformed: " + e, e);
        }
    }

    private static Checkpoint decodeBody(ByteBuffer in) {
        long position = in.getLong();
        Ledger ledger = new Ledger();
        int segments = in.getInt();
        for (int i = 0; i < segments; i++) {
            long base = in.getLong();
            int end = in.getInt();
            int live = in.getInt();
            long liveBytes = in.getLong();
            int allDeadBelow = in.getInt();
            int deadCount = in.getInt();
            OffsetSet dead = new OffsetSet();
            for (int d = 0; d < deadCount; d++) {
                dead.add(in.getInt());
            }
            SegmentState state = new SegmentState(base, end, live, liveBytes, allDeadBelow, dead);
            int pins = in.getInt();
            for (int p = 0; p < pins; p++) {
                state.restorePin(in.getLong(), in.getInt(), in.getLong());
            }
            ledger.restore(state);
        }
        MetadataIndex metadata = new MetadataIndex();
        int values = in.getInt();
        for (int i = 0; i < values; i++) {
            metadata.put(new MetadataIndex.Ref(in.getLong(), in.getLong(), in.getInt()));
        }
        return new Checkpoint(position, ledger, metadata);
    }
}
