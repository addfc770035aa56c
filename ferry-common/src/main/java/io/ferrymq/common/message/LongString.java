package io.ferrymq.common.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A binary-safe string as AMQP's {@code longstr} (field-table tag {@code S}) carries it. Kept as
 * bytes because clients put non-UTF-8 data in headers; {@link #toString()} decodes as UTF-8.
 * Immutable: the constructor and {@link #bytes()} copy.
 */
public final class LongString implements Comparable<LongString> {
    private final byte[] bytes;

    private LongString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static LongString of(String value) {
        return new LongString(value.getBytes(StandardCharsets.UTF_8));
    }

    public static LongString of(byte[] value) {
        return new LongString(value.clone());
    }

    /** Wraps without copying; the caller gives up the array. */
    public static LongString wrap(byte[] value) {
        return new LongString(value);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The raw array, not copied: callers must not modify it (used by encoders on the hot path). */
    public byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(LongString o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
