package io.ferrymq.core.trace;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link TraceEvent}, in memory and in the trace files, big-endian: int32 length of the rest,
 * then seq and timestamp as int64, the strings (event, vhost, message id, correlation id, exchange, routing key,
 * queue) each as int32 byte length (-1: null) and UTF-8 bytes, the queue list as int32 count (-1: null) and
 * strings, consumer tag and connection as strings, attempt int32, reason string, retry-at int64, then the
 * properties as a value map: int32 count (-1: null), per entry a string key, a tag byte and the value ({@code 'S'}
 * string, {@code 'L'} int64, {@code 'M'} nested map). Written by hand into one growing array: this runs for every
 * traced event. Stateless.
 */
final class TraceCodec {
    /** Longer strings are cut: a trace names things, it does not carry payloads. */
    private static final int MAX_STRING = 16_000;

    private TraceCodec() {
    }

    static byte[] encode(TraceEvent e) {
        Writer out = new Writer();
        out.i32(0);
        out.i64(e.seq());
        out.i64(e.timestamp());
        out.str(e.event());
        out.str(e.vhost());
        out.str(e.messageId());
        out.str(e.correlationId());
        out.str(e.exchange());
        out.str(e.routingKey());
        out.str(e.queue());
        if (e.queues() == null) {
            out.i32(-1);
        } else {
            out.i32(e.queues().size());
            e.queues().forEach(out::str);
        }
        out.str(e.consumerTag());
        out.str(e.connection());
        out.i32(e.attempt());
        out.str(e.reason());
        out.i64(e.retryAt());
        out.map(e.properties());
        return out.finish();
    }

    /** Reads one event from its encoded form, length prefix included. */
    static TraceEvent decode(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded, 4, encoded.length - 4);
        try {
            long seq = in.getLong();
            long timestamp = in.getLong();
            String[] s = new String[7];
            for (int i = 0; i < s.length; i++) {
                s[i] = str(in);
            }
            int count = in.getInt();
            List<String> queues = null;
            if (count >= 0) {
                queues = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    queues.add(str(in));
                }
            }
            String consumerTag = str(in);
            String connection = str(in);
            int attempt = in.getInt();
            String reason = str(in);
            long retryAt = in.getLong();
            Map<String, Object> properties = map(in);
            return new TraceEvent(seq, timestamp, s[0], s[1], s[2], s[3], s[4], s[5], s[6], queues, consumerTag,
                    connection, attempt, reason, retryAt, properties);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a trace event that cannot be read: " + e, e);
        }
    }

    /** Reads one event, length prefix included, from a file. */
    static TraceEvent read(DataInputStream in, int length) throws IOException {
        byte[] record = new byte[length + 4];
        in.readFully(record, 4, length);
        return decode(record);
    }

    private static String str(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException("string of " + length + " bytes past the end");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static Map<String, Object> map(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = str(in);
            int tag = in.get();
            map.put(key, switch (tag) {
                case 'L' -> in.getLong();
                case 'M' -> map(in);
                case 'S' -> str(in);
                default -> throw new IllegalArgumentException("unknown value tag " + tag);
            });
        }
        return map;
    }

    /** A growing big-endian byte array. */
    private static final class Writer {
        private byte[] bytes = new byte[256];
        private int size;

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void u8(int v) {
            room(1);
            bytes[size++] = (byte) v;
        }

        void i32(int v) {
            room(4);
            bytes[size++] = (byte) (v >>> 24);
            bytes[size++] = (byte) (v >>> 16);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void i64(long v) {
            i32((int) (v >>> 32));
            i32((int) v);
        }

        void str(String s) {
            if (s == null) {
                i32(-1);
                return;
            }
            byte[] utf8 = (s.length() > MAX_STRING ? s.substring(0, MAX_STRING) : s).getBytes(StandardCharsets.UTF_8);
            i32(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        void map(Map<String, Object> map) {
            if (map == null) {
                i32(-1);
                return;
            }
            i32(map.size());
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                str(entry.getKey());
                Object value = entry.getValue();
                if (value instanceof Long || value instanceof Integer) {
                    u8('L');
                    i64(((Number) value).longValue());
                } else if (value instanceof Map<?, ?> nested) {
                    u8('M');
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = (Map<String, Object>) nested;
                    map(typed);
                } else {
                    u8('S');
                    str(String.valueOf(value));
                }
            }
        }

        /** The bytes, with the length of the rest written in front. */
        byte[] finish() {
            int length = size - 4;
            bytes[0] = (byte) (length >>> 24);
            bytes[1] = (byte) (length >>> 16);
            bytes[2] = (byte) (length >>> 8);
            bytes[3] = (byte) length;
            return Arrays.copyOf(bytes, size);
        }
    }
}
