package io.ferrymq.core.trace;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link TraceEvent} in the trace files: int32 length of the rest, then seq and timestamp as
 * int64, the strings (event, vhost, message id, correlation id, exchange, routing key, queue) each as a flag byte
 * (0 null, 1 present) and UTF, the queue list as int32 count (-1 null) and UTFs, consumer tag and connection as
 * strings, attempt int32, reason string, retry-at int64, then the properties as a value map. Map values are tagged:
 * {@code 'S'} UTF, {@code 'L'} int64, {@code 'M'} nested map. Stateless.
 */
final class TraceCodec {
    private TraceCodec() {
    }

    static byte[] encode(TraceEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0);
            out.writeLong(e.seq());
            out.writeLong(e.timestamp());
            for (String s : new String[]{e.event(), e.vhost(), e.messageId(), e.correlationId(), e.exchange(),
                    e.routingKey(), e.queue()}) {
                str(out, s);
            }
            if (e.queues() == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(e.queues().size());
                for (String q : e.queues()) {
                    str(out, q);
                }
            }
            str(out, e.consumerTag());
            str(out, e.connection());
            out.writeInt(e.attempt());
            str(out, e.reason());
            out.writeLong(e.retryAt());
            map(out, e.properties());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        byte[] record = bytes.toByteArray();
        int length = record.length - 4;
        record[0] = (byte) (length >>> 24);
        record[1] = (byte) (length >>> 16);
        record[2] = (byte) (length >>> 8);
        record[3] = (byte) length;
        return record;
    }

    /** Reads one event from its encoded form, length prefix included. */
    static TraceEvent decode(byte[] encoded) {
        try {
            return decode(new DataInputStream(new java.io.ByteArrayInputStream(encoded, 4, encoded.length - 4)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one event after its length prefix was read. */
    static TraceEvent decode(DataInputStream in) throws IOException {
        long seq = in.readLong();
        long timestamp = in.readLong();
        String[] s = new String[7];
        for (int i = 0; i < s.length; i++) {
            s[i] = str(in);
        }
        int count = in.readInt();
        List<String> queues = null;
        if (count >= 0) {
            queues = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                queues.add(str(in));
            }
        }
        String consumerTag = str(in);
        String connection = str(in);
        int attempt = in.readInt();
        String reason = str(in);
        long retryAt = in.readLong();
        Map<String, Object> properties = map(in);
        return new TraceEvent(seq, timestamp, s[0], s[1], s[2], s[3], s[4], s[5], s[6], queues, consumerTag,
                connection, attempt, reason, retryAt, properties);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            out.writeUTF(s.length() > 16_000 ? s.substring(0, 16_000) : s);
        }
    }

    private static String str(DataInputStream in) throws IOException {
        return in.readByte() == 0 ? null : in.readUTF();
    }

    private static void map(DataOutputStream out, Map<String, Object> map) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            str(out, entry.getKey());
            Object value = entry.getValue();
            if (value instanceof Long || value instanceof Integer) {
                out.writeByte('L');
                out.writeLong(((Number) value).longValue());
            } else if (value instanceof Map<?, ?> nested) {
                out.writeByte('M');
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) nested;
                map(out, typed);
            } else {
                out.writeByte('S');
                str(out, String.valueOf(value));
            }
        }
    }

    private static Map<String, Object> map(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = str(in);
            int tag = in.readByte();
            map.put(key, switch (tag) {
                case 'L' -> in.readLong();
                case 'M' -> map(in);
                case 'S' -> str(in);
                default -> throw new IOException("unknown value tag " + tag);
            });
        }
        return map;
    }
}
