package io.ferrymq.store.journal;

import com.github.luben.zstd.Zstd;
import io.ferrymq.store.Compression;
import io.ferrymq.store.StoreException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * Thread-safe (the LZ4 and zstd codecs are stateless): compresses bodies at or above the threshold and decompresses
 * them on read. Compression runs on the caller's thread, so publishers share the CPU cost rather than the single
 * writer thread.
 *
 * <p>A compressed body is stored as its original length (4 bytes) and the compressed bytes, and only if that is
 * smaller than the body itself: incompressible data is stored raw. Reads follow the record's flags, whatever is
 * configured now.
 */
final class BodyCodec {

    private static final Logger LOG = LoggerFactory.getLogger(BodyCodec.class);
    private static final int ZSTD_LEVEL = 3;

    private final Compression kind;
    private final int threshold;
    private final LZ4Compressor lz4Compressor;
    private final LZ4SafeDecompressor lz4Decompressor;

    BodyCodec(Compression kind, int threshold) {
        this.kind = kind;
        this.threshold = threshold;
        LZ4Factory factory = lz4Factory();
        this.lz4Compressor = factory.fastCompressor();
        this.lz4Decompressor = factory.safeDecompressor();
        if (kind == Compression.ZSTD) {
            probeZstd();
        }
    }

    /** The native LZ4 if it loads here, else the pure-Java one (same format, slower). */
    private static LZ4Factory lz4Factory() {
        try {
            return LZ4Factory.fastestInstance();
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("the native LZ4 library does not load ({}); using the pure-Java LZ4", e.toString());
            return LZ4Factory.safeInstance();
        }
    }

    private static void probeZstd() {
        try {
            Zstd.compress(new byte[1], ZSTD_LEVEL);
        } catch (LinkageError | RuntimeException e) {
            throw new StoreException("store compression is set to zstd but the zstd native library does not load "
                    + "on this platform (" + e + "): set compression to lz4", e);
        }
    }

    EncodedBody encode(ByteBuffer body) {
        int length = body.remaining();
        if (kind == Compression.NONE || length < threshold || length == 0) {
            return new EncodedBody((byte) 0, body.duplicate());
        }
        byte[] raw = new byte[length];
        body.duplicate().get(raw);
        byte[] stored;
        int storedLength;
        byte flag;
        if (kind == Compression.LZ4) {
            stored = new byte[4 + lz4Compressor.maxCompressedLength(length)];
            storedLength = 4 + lz4Compressor.compress(raw, 0, length, stored, 4, stored.length - 4);
            flag = JournalCodec.LZ4;
        } else {
            stored = new byte[4 + (int) Zstd.compressBound(length)];
            long written = Zstd.compressByteArray(stored, 4, stored.length - 4, raw, 0, length, ZSTD_LEVEL);
            if (Zstd.isError(written)) {
                throw new StoreException("zstd failed to compress a " + length + "-byte body: "
                        + Zstd.getErrorName(written));
            }
            storedLength = 4 + (int) written;
            flag = JournalCodec.ZSTD;
        }
        if (storedLength >= length) {
            return new EncodedBody((byte) 0, ByteBuffer.wrap(raw));
        }
        ByteBuffer.wrap(stored).putInt(0, length);
        return new EncodedBody(flag, ByteBuffer.wrap(stored, 0, storedLength));
    }

    /** The original body of a record stored with {@code flags}; {@code address} only names it in errors. */
    ByteBuffer decode(byte flags, ByteBuffer stored, long address) {
        int compression = flags & (JournalCodec.LZ4 | JournalCodec.ZSTD);
        if (compression == 0) {
            return stored.asReadOnlyBuffer();
        }
        ByteBuffer in = stored.duplicate();
        int length = in.getInt();
        byte[] compressed = new byte[in.remaining()];
        in.get(compressed);
        byte[] raw;
        try {
            raw = new byte[length];
            int produced;
            if (compression == JournalCodec.LZ4) {
                produced = lz4Decompressor.decompress(compressed, 0, compressed.length, raw, 0, length);
            } else {
                long result = Zstd.decompressByteArray(raw, 0, length, compressed, 0, compressed.length);
                if (Zstd.isError(result)) {
                    throw new IllegalStateException(Zstd.getErrorName(result));
                }
                produced = (int) result;
            }
            if (produced != length) {
                throw new IllegalStateException("produced " + produced + " bytes instead of " + length);
            }
        } catch (LinkageError | RuntimeException e) {
            throw new StoreException("the body of the record at position " + address + " does not decompress ("
                    + e + ")", e);
        }
        return ByteBuffer.wrap(raw).asReadOnlyBuffer();
    }
}
