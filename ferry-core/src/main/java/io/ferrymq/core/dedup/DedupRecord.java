package io.ferrymq.core.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A key in a stored deduplication window, as a journal entry body (big-endian): kind {@code 0x11}, version
 * {@code 1}, the time it was seen (int64 ms since the epoch, from the broker's clock), the key's UTF-8 length
 * (int32) and bytes.
 */
final class DedupRecord {
    private static final byte KIND = 0x11;
    private static final byte VERSION = 1;

    /** A decoded record. */
    record Decoded(long seenAt, String key) {
    }

    private DedupRecord() {
    }

    static byte[] encode(long seenAt, String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(14 + utf8.length).put(KIND).put(VERSION).putLong(seenAt).putInt(utf8.length)
                .put(utf8).array();
    }

    /** @throws IllegalArgumentException if the bytes are not a version-1 key record */
    static Decoded decode(ByteBuffer body) {
        ByteBuffer in = body.duplicate();
        if (in.remaining() < 14 || in.get() != KIND || in.get() != VERSION) {
            throw new IllegalArgumentException("not a deduplication key record of version " + VERSION);
        }
        long seenAt = in.getLong();
        int length = in.getInt();
        if (length != in.remaining()) {
            throw new IllegalArgumentException("a deduplication key record of the wrong length");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new Decoded(seenAt, new String(utf8, StandardCharsets.UTF_8));
    }
}
