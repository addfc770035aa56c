package io.ferrymq.amqp.codec;

import io.ferrymq.common.message.LongString;
import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes field tables and arrays; see {@link FieldTableCodec} for the tags and types. */
final class FieldTableReader {
    private FieldTableReader() {
    }

    static Map<String, Object> read(ByteBuf in) {
        try {
            return table(in, 1);
        } catch (IndexOutOfBoundsException e) {
            // Every entry is read from a slice bounded by its table's length, so running off a slice means the
            // declared length cut a value short.
            throw FrameDecodingException.syntaxError("field table ends in the middle of a value");
        }
    }

    private static Map<String, Object> table(ByteBuf in, int depth) {
        ByteBuf entries = container(in, "field table");
        Map<String, Object> table = new LinkedHashMap<>();
        while (entries.isReadable()) {
            String key = StringCodec.readShortstr(entries);
            Object value = value(entries, key, depth);
            // containsKey rather than putIfAbsent: a first value of null (tag V) must also win.
            if (!table.containsKey(key)) {
                table.put(key, value);
            }
        }
        return table;
    }

    private static List<Object> array(ByteBuf in, String key, int depth) {
        ByteBuf elements = container(in, "field array");
        List<Object> array = new ArrayList<>();
        while (elements.isReadable()) {
            array.add(value(elements, key, depth));
        }
        return array;
    }

    private static ByteBuf container(ByteBuf in, String what) {
        long length = in.readUnsignedInt();
        StringCodec.checkLength(in, length, what);
        return in.readSlice((int) length);
    }

    /** Reads a tag and its value; {@code depth} is the nesting level of the table or array holding it. */
    private static Object value(ByteBuf in, String key, int depth) {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 't' -> in.readByte() != 0;
            case 'b' -> in.readByte();
            case 'B' -> (short) in.readUnsignedByte();
            case 's' -> in.readShort();
            case 'u' -> in.readUnsignedShort();
            case 'I' -> in.readInt();
            case 'i' -> in.readUnsignedInt();
            case 'l', 'L' -> in.readLong();
            case 'f' -> in.readFloat();
            case 'd' -> in.readDouble();
            case 'D' -> decimal(in);
            case 'S' -> LongString.wrap(StringCodec.readLongBytes(in, "longstr value"));
            case 'x' -> StringCodec.readLongBytes(in, "byte array value");
            case 'T' -> timestamp(in, key);
            case 'F' -> table(in, deeper(depth, key));
            case 'A' -> array(in, key, deeper(depth, key));
            case 'V' -> null;
            default -> throw FrameDecodingException.syntaxError(String.format(
                    "unknown field-table value tag 0x%02x for key '%s'", tag, shown(key)));
        };
    }

    private static int deeper(int depth, String key) {
        if (depth >= FieldTableCodec.MAX_DEPTH) {
            throw FrameDecodingException.syntaxError("field tables and arrays under key '" + shown(key)
                    + "' nest deeper than " + FieldTableCodec.MAX_DEPTH + " levels");
        }
        return depth + 1;
    }

    private static BigDecimal decimal(ByteBuf in) {
        int scale = in.readUnsignedByte();
        // RabbitMQ and its clients treat the unscaled value as signed, whatever the grammar says.
        return BigDecimal.valueOf(in.readInt(), scale);
    }

    private static Instant timestamp(ByteBuf in, String key) {
        long seconds = in.readLong();
        if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw FrameDecodingException.syntaxError("timestamp " + seconds + " of '" + shown(key)
                    + "' is outside the range of java.time.Instant");
        }
        return Instant.ofEpochSecond(seconds);
    }

    /** A key short enough that the message still fits a 255-octet reply-text. */
    private static String shown(String key) {
        return key.length() <= 40 ? key : key.substring(0, 40) + "...";
    }
}
