package io.ferrymq.amqp.codec;

import io.netty.buffer.ByteBuf;

import java.util.Map;

/**
 * AMQP field tables: a u32 byte length, then entries of shortstr key, one-octet type tag and value.
 *
 * <p>Reading accepts every tag the RabbitMQ broker parses and yields the Java types listed in
 * {@link io.ferrymq.common.message.FieldValues}. Writing emits only {@code t b s I l f d D S x A T F V}, the tags
 * RabbitMQ's Java client can read back: Boolean {@code t}, Byte {@code b}, Short {@code s}, Integer {@code I},
 * Long {@code l}, Float {@code f}, Double {@code d}, BigDecimal {@code D}, String and LongString {@code S},
 * byte[] {@code x}, List and Object[] {@code A}, Instant and Date {@code T} (whole seconds), Map {@code F} and
 * null {@code V}.
 *
 * <p>Tables and arrays nest at most {@link #MAX_DEPTH} levels (the outermost table is level 1), so a hostile
 * peer cannot drive the recursive reader into a stack overflow.
 */
public final class FieldTableCodec {
    public static final int MAX_DEPTH = 32;

    private FieldTableCodec() {
    }

    /**
     * Reads one table. Duplicate keys keep their first value, as RabbitMQ's Java client does.
     *
     * @return a mutable insertion-ordered map, empty for an empty table
     * @throws FrameDecodingException with {@link FrameDecodingException#SYNTAX_ERROR} if the table is malformed
     */
    public static Map<String, Object> read(ByteBuf in) {
        return FieldTableReader.read(in);
    }

    /**
     * Writes {@code table}, null as an empty table.
     *
     * @throws IllegalArgumentException naming the key if a value has a type with no tag, a key is not a String or
     *     longer than 255 octets, or nesting exceeds {@link #MAX_DEPTH}; {@code out} is then left unchanged
     */
    public static void write(ByteBuf out, Map<String, ?> table) {
        int start = out.writerIndex();
        try {
            FieldTableWriter.write(out, table);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }
}
