package io.ferrymq.amqp.codec;

import io.ferrymq.common.message.LongString;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * AMQP's two string types: {@code shortstr} (u8 length, at most 255 octets) and {@code longstr} (u32 length,
 * binary-safe). Shortstrs are UTF-8; malformed UTF-8 from a peer decodes leniently with replacement
 * characters rather than closing the connection.
 */
public final class StringCodec {
    static final int SHORTSTR_MAX = 255;

    private StringCodec() {
    }

    public static String readShortstr(ByteBuf in) {
        int length = in.readUnsignedByte();
        checkLength(in, length, "shortstr");
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }

    /**
     * Writes {@code value} as a shortstr; null writes an empty string.
     *
     * @param field what the string is, for the error message (e.g. "basic.publish routing-key")
     * @throws IllegalArgumentException if the UTF-8 form is longer than 255 octets; {@code out} is unchanged
     */
    public static void writeShortstr(ByteBuf out, String value, String field) {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        // Every char takes at least one UTF-8 octet, so a long string fails before any scan or write.
        if (value.length() > SHORTSTR_MAX) {
            throw tooLong(field, value);
        }
        int lengthIndex = out.writerIndex();
        out.writeByte(0);
        int length = out.writeCharSequence(value, StandardCharsets.UTF_8);
        if (length > SHORTSTR_MAX) {
            out.writerIndex(lengthIndex);
            throw tooLong(field, value);
        }
        out.setByte(lengthIndex, length);
    }

    public static LongString readLongstr(ByteBuf in) {
        return LongString.wrap(readLongBytes(in, "longstr"));
    }

    /** Writes {@code value} as a longstr; null writes an empty one. */
    public static void writeLongstr(ByteBuf out, LongString value) {
        if (value == null) {
            out.writeInt(0);
            return;
        }
        byte[] bytes = value.unsafeBytes();
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    /** Reads a u32 length and that many octets, refusing lengths that run past the buffer before allocating. */
    static byte[] readLongBytes(ByteBuf in, String what) {
        long length = in.readUnsignedInt();
        checkLength(in, length, what);
        byte[] bytes = new byte[(int) length];
        in.readBytes(bytes);
        return bytes;
    }

    /** Writes {@code value} as a u32 length and its UTF-8 octets, patching the length in afterwards. */
    static void writeUtf8Longstr(ByteBuf out, String value) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        out.setInt(lengthIndex, out.writeCharSequence(value, StandardCharsets.UTF_8));
    }

    static void checkLength(ByteBuf in, long length, String what) {
        if (length > in.readableBytes()) {
            throw FrameDecodingException.syntaxError(what + " of " + length + " octets runs past the end of its frame ("
                    + in.readableBytes() + " octets left)");
        }
    }

    private static IllegalArgumentException tooLong(String field, String value) {
        String start = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return new IllegalArgumentException(field + " '" + start + "' is longer than the " + SHORTSTR_MAX
                + " octets of UTF-8 a shortstr can hold");
    }
}
