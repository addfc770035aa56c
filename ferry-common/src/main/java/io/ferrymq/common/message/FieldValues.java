package io.ferrymq.common.message;

import java.util.Optional;

/**
 * Reading AMQP field-table values as the broker needs them. A client may send a number as any
 * integer tag ({@code b s I l}, and the unsigned ones) and a string as {@code S} or a Java
 * {@link String}; these helpers accept every such form.
 *
 * <p>Java types of field-table values, fixed for every layer: {@code t} Boolean, {@code b} Byte,
 * {@code B} Short, {@code s} Short, {@code u} Integer, {@code I} Integer, {@code i} Long,
 * {@code l}/{@code L} Long, {@code f} Float, {@code d} Double, {@code D} BigDecimal, {@code S}
 * {@link LongString}, {@code x} byte[], {@code A} List&lt;Object&gt;, {@code T}
 * {@link java.time.Instant} (whole seconds), {@code F} Map&lt;String,Object&gt; (insertion
 * ordered, first duplicate key wins), {@code V} null.
 */
public final class FieldValues {
    private FieldValues() {
    }

    /** The value as a long if it is any integer type, else empty. */
    public static Optional<Long> asLong(Object value) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return Optional.of(((Number) value).longValue());
        }
        return Optional.empty();
    }

    /** The value as a string if it is a {@link LongString} or {@link String}, else empty. */
    public static Optional<String> asString(Object value) {
        if (value instanceof LongString || value instanceof String) {
            return Optional.of(value.toString());
        }
        return Optional.empty();
    }

    /** The value as a boolean if it is a Boolean, else empty. */
    public static Optional<Boolean> asBoolean(Object value) {
        return value instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }
}
