package io.ferrymq.amqp.codec;

import io.ferrymq.common.message.LongString;
import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Encodes field tables straight into the output buffer: each length is written as a placeholder and patched
 * once the contents are known, so no intermediate arrays are built. See {@link FieldTableCodec} for the tags.
 */
final class FieldTableWriter {
    private FieldTableWriter() {
    }

    static void write(ByteBuf out, Map<?, ?> table) {
        if (table == null) {
            out.writeInt(0);
            return;
        }
        table(out, table, 1);
    }

    private static void table(ByteBuf out, Map<?, ?> table, int depth) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Map.Entry<?, ?> entry : table.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("field-table key " + entry.getKey() + " is not a String");
            }
            StringCodec.writeShortstr(out, key, "field-table key");
            value(out, entry.getValue(), key, depth);
        }
        patchLength(out, lengthIndex);
    }

    private static void array(ByteBuf out, List<?> array, String key, int depth) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Object element : array) {
            value(out, element, key, depth);
        }
        patchLength(out, lengthIndex);
    }

    private static void patchLength(ByteBuf out, int lengthIndex) {
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - Integer.BYTES);
    }

    /** Writes a tag and value; {@code key} names the entry in errors, {@code depth} is the holder's level. */
    private static void value(ByteBuf out, Object value, String key, int depth) {
        // Most frequent types first: headers and arguments are mostly strings, numbers and booleans.
        if (value instanceof String s) {
            out.writeByte('S');
            StringCodec.writeUtf8Longstr(out, s);
        } else if (value instanceof LongString s) {
            out.writeByte('S');
            StringCodec.writeLongstr(out, s);
        } else if (value instanceof Integer i) {
            out.writeByte('I').writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte('l').writeLong(l);
        } else if (value instanceof Boolean b) {
            out.writeByte('t').writeByte(b ? 1 : 0);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte('F');
            table(out, m, deeper(depth, key));
        } else if (value instanceof List<?> list) {
            out.writeByte('A');
            array(out, list, key, deeper(depth, key));
        } else if (value instanceof Object[] array) {
            out.writeByte('A');
            array(out, Arrays.asList(array), key, deeper(depth, key));
        } else if (value instanceof byte[] bytes) {
            out.writeByte('x').writeInt(bytes.length).writeBytes(bytes);
        } else if (value == null) {
            out.writeByte('V');
        } else {
            rareValue(out, value, key);
        }
    }

    private static void rareValue(ByteBuf out, Object value, String key) {
        if (value instanceof Byte b) {
            out.writeByte('b').writeByte(b);
        } else if (value instanceof Short s) {
            out.writeByte('s').writeShort(s);
        } else if (value instanceof Float f) {
            out.writeByte('f').writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte('d').writeDouble(d);
        } else if (value instanceof BigDecimal d) {
            decimal(out, d, key);
        } else if (value instanceof Instant t) {
            out.writeByte('T').writeLong(t.getEpochSecond());
        } else if (value instanceof Date d) {
            out.writeByte('T').writeLong(Math.floorDiv(d.getTime(), 1000L));
        } else {
            throw new IllegalArgumentException("field-table value of '" + key + "' has type "
                    + value.getClass().getName() + ", which has no AMQP field type");
        }
    }

    private static void decimal(ByteBuf out, BigDecimal value, String key) {
        // A negative scale (e.g. 1E+3) has no wire form, but the same number with scale 0 does.
        BigDecimal d = value.scale() < 0 ? value.setScale(0) : value;
        // bitLength() excludes the sign bit, so at most 31 means the value fits a signed int.
        if (d.scale() > 255 || d.unscaledValue().bitLength() > 31) {
            throw new IllegalArgumentException("decimal value " + value + " of '" + key
                    + "' needs a scale of at most 255 and an unscaled value that fits a signed 32-bit int");
        }
        out.writeByte('D').writeByte(d.scale()).writeInt(d.unscaledValue().intValueExact());
    }

    private static int deeper(int depth, String key) {
        if (depth >= FieldTableCodec.MAX_DEPTH) {
            throw new IllegalArgumentException("field tables and arrays under key '" + key + "' nest deeper than "
                    + FieldTableCodec.MAX_DEPTH + " levels (is there a cycle?)");
        }
        return depth + 1;
    }
}
