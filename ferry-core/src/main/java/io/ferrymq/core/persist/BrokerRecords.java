package io.ferrymq.core.persist;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.queue.StoredMessage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's own binary encoding of what it keeps in the store: exchange, queue and binding records (journal
 * metadata values) and persistent messages (journal entry bodies). Big-endian throughout. Stateless.
 *
 * <p>Building blocks: {@code str} = int32 byte length, then UTF-8 bytes (length -1: null); {@code bytes} = int32
 * length, then the bytes; {@code table} = int32 entry count, then per entry a {@code str} key and a {@code value};
 * {@code value} = one tag byte, then: {@code 'V'} nothing (null), {@code 't'} 1 byte 0/1 (Boolean), {@code 'b'}
 * 1 byte (Byte), {@code 's'} int16 (Short), {@code 'I'} int32 (Integer), {@code 'l'} int64 (Long), {@code 'f'}
 * float32, {@code 'd'} float64, {@code 'D'} int32 scale + {@code bytes} of the unscaled two's-complement value
 * (BigDecimal), {@code 'S'} {@code bytes} (LongString, binary-safe), {@code 'J'} {@code str} (a Java String),
 * {@code 'x'} {@code bytes} (byte[]), {@code 'A'} int32 count + that many {@code value}s (List), {@code 'T'}
 * int64 epoch seconds (Instant), {@code 'F'} {@code table} (nested Map). The Java type of every value survives a
 * round trip, so arguments compare equal after a restart.
 *
 * <p>Records (first byte: kind; second byte: record version, 1):
 * <ul>
 * <li>exchange: {@code 0x01 0x01}, vhost {@code str}, name {@code str}, type {@code str} (wire name), flags byte
 * (bit 0 durable, bit 1 auto-delete, bit 2 internal), arguments {@code table}</li>
 * <li>queue: {@code 0x02 0x01}, vhost {@code str}, name {@code str}, queue type {@code str}, flags byte (bit 0
 * durable, bit 1 auto-delete), arguments {@code table}</li>
 * <li>binding: {@code 0x03 0x01}, vhost {@code str}, source exchange {@code str}, destination kind byte (0 queue,
 * 1 exchange), destination {@code str}, routing key {@code str}, arguments {@code table}</li>
 * <li>message (an entry body): {@code 0x10 0x01}, exchange {@code str}, routing key {@code str}, int16 property
 * flags (bit 13 - i set when property i of the 14, in AMQP order, is present: bit 13 content-type ... bit 0
 * cluster-id), then each present property: strings as {@code str}, headers as {@code table}, delivery-mode and
 * priority as int32, timestamp as int64 epoch seconds; then the body as {@code bytes}</li>
 * <li>user: {@code 0x20 0x01}, name {@code str}, has-password byte (0/1), when 1 the salt {@code bytes} and the
 * SHA-256 digest {@code bytes}; then int32 tag count and each tag as {@code str}</li>
 * <li>vhost: {@code 0x21 0x01}, name {@code str}, description {@code str}, int32 tag count and each tag as
 * {@code str}</li>
 * <li>permission: {@code 0x22 0x01}, user {@code str}, vhost {@code str}, configure, write and read patterns as
 * {@code str}</li>
 * <li>policy: {@code 0x23 0x01}, vhost {@code str}, name {@code str}, pattern {@code str}, apply-to {@code str},
 * int32 priority, definition {@code table}</li>
 * </ul>
 */
public final class BrokerRecords {
    public static final byte EXCHANGE = 0x01;
    public static final byte QUEUE = 0x02;
    public static final byte BINDING = 0x03;
    public static final byte MESSAGE = 0x10;
    public static final byte USER = 0x20;
    public static final byte VHOST = 0x21;
    public static final byte PERMISSION = 0x22;
    public static final byte POLICY = 0x23;
    private static final byte VERSION = 1;

    private BrokerRecords() {
    }

    /** A stored exchange. */
    public record ExchangeRecord(String vhost, String name, String type, boolean durable, boolean autoDelete,
                                 boolean internal, Map<String, Object> arguments) {
    }

    /** A stored queue. */
    public record QueueRecord(String vhost, String name, String type, boolean durable, boolean autoDelete,
                              Map<String, Object> arguments) {
    }

    /** A stored binding; {@code toQueue} tells what the destination names. */
    public record BindingRecord(String vhost, String source, boolean toQueue, String destination, String routingKey,
                                Map<String, Object> arguments) {
    }

    // ---- encoding

    public static byte[] exchange(ExchangeRecord r) {
        Out out = new Out(EXCHANGE);
        out.str(r.vhost());
        out.str(r.name());
        out.str(r.type());
        out.u8((r.durable() ? 1 : 0) | (r.autoDelete() ? 2 : 0) | (r.internal() ? 4 : 0));
        out.table(r.arguments());
        return out.bytes();
    }

    public static byte[] queue(QueueRecord r) {
        Out out = new Out(QUEUE);
        out.str(r.vhost());
        out.str(r.name());
        out.str(r.type());
        out.u8((r.durable() ? 1 : 0) | (r.autoDelete() ? 2 : 0));
        out.table(r.arguments());
        return out.bytes();
    }

    public static byte[] binding(BindingRecord r) {
        Out out = new Out(BINDING);
        out.str(r.vhost());
        out.str(r.source());
        out.u8(r.toQueue() ? 0 : 1);
        out.str(r.destination());
        out.str(r.routingKey());
        out.table(r.arguments());
        return out.bytes();
    }

    public static byte[] message(Message m) {
        Out out = new Out(MESSAGE, 128);
        out.str(m.exchange());
        out.str(m.routingKey());
        MessageProperties p = m.properties();
        Object[] values = {p.contentType(), p.contentEncoding(), p.headers(), p.deliveryMode(), p.priority(),
                p.correlationId(), p.replyTo(), p.expiration(), p.messageId(), p.timestamp(), p.type(), p.userId(),
                p.appId(), p.clusterId()};
        int flags = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                flags |= 1 << (13 - i);
            }
        }
        out.i16(flags);
        for (Object value : values) {
            if (value instanceof String s) {
                out.str(s);
            } else if (value instanceof Integer n) {
                out.i32(n);
            } else if (value instanceof Instant t) {
                out.i64(t.getEpochSecond());
            } else if (value instanceof Map<?, ?> map) {
                out.table(castTable(map));
            }
        }
        // the body goes straight into the result: one copy of it, not three (buffer, its growth, toByteArray)
        return out.bytesThenBlob(m.body());
    }

    // ---- decoding

    /** The kind byte of a record, or -1 when empty. */
    public static int kind(ByteBuffer record) {
        return record.remaining() == 0 ? -1 : record.get(record.position());
    }

    public static ExchangeRecord readExchange(ByteBuffer record) {
        In in = new In(record, EXCHANGE);
        String vhost = in.str();
        String name = in.str();
        String type = in.str();
        int flags = in.u8();
        return new ExchangeRecord(vhost, name, type, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                in.table());
    }

    public static QueueRecord readQueue(ByteBuffer record) {
        In in = new In(record, QUEUE);
        String vhost = in.str();
        String name = in.str();
        String type = in.str();
        int flags = in.u8();
        return new QueueRecord(vhost, name, type, (flags & 1) != 0, (flags & 2) != 0, in.table());
    }

    public static BindingRecord readBinding(ByteBuffer record) {
        In in = new In(record, BINDING);
        String vhost = in.str();
        String source = in.str();
        boolean toQueue = in.u8() == 0;
        return new BindingRecord(vhost, source, toQueue, in.str(), in.str(), in.table());
    }

    /**
     * What recovery needs of a {@link #message} record whose body stays in the store: body size, {@code expiration}
     * and {@code priority} properties and the {@code x-group-id} header, reading past the other properties without
     * decoding their strings.
     */
    public static StoredMessage readMessageSummary(ByteBuffer record) {
        In in = new In(record, MESSAGE);
        in.skipStr();
        in.skipStr();
        int flags = in.i16();
        String expiration = null;
        Integer priority = null;
        String groupId = null;
        for (int i = 0; i < 14; i++) {
            if ((flags & (1 << (13 - i))) == 0) {
                continue;
            }
            switch (i) {
                case 2 -> groupId = StoredMessage.groupIdOf(in.table());
                case 3 -> in.i32();
                case 4 -> priority = in.i32();
                case 7 -> expiration = in.str();
                case 9 -> in.i64();
                default -> in.skipStr();
            }
        }
        return new StoredMessage(in.blobLength(), expiration, priority, groupId);
    }

    public static Message readMessage(ByteBuffer record) {
        In in = new In(record, MESSAGE);
        String exchange = in.str();
        String routingKey = in.str();
        int flags = in.i16();
        Object[] v = new Object[14];
        for (int i = 0; i < 14; i++) {
            if ((flags & (1 << (13 - i))) == 0) {
                continue;
            }
            v[i] = switch (i) {
                case 2 -> in.table();
                case 3, 4 -> in.i32();
                case 9 -> Instant.ofEpochSecond(in.i64());
                default -> in.str();
            };
        }
        @SuppressWarnings("unchecked")
        MessageProperties properties = new MessageProperties((String) v[0], (String) v[1],
                (Map<String, Object>) v[2], (Integer) v[3], (Integer) v[4], (String) v[5], (String) v[6],
                (String) v[7], (String) v[8], (Instant) v[9], (String) v[10], (String) v[11], (String) v[12],
                (String) v[13]);
        byte[] body = in.blob();
        return new Message(exchange, routingKey, properties, body);
    }

    // ---- users, vhosts and permissions

    /** A stored user; {@code salt} and {@code hash} are null for a user without a password. */
    public record UserRecord(String name, byte[] salt, byte[] hash, List<String> tags) {
    }

    /** A stored virtual host. */
    public record VhostRecord(String name, String description, List<String> tags) {
    }

    /** A stored permission of one user in one vhost. */
    public record PermissionRecord(String user, String vhost, String configure, String write, String read) {
    }

    public static byte[] user(UserRecord r) {
        Out out = new Out(USER);
        out.str(r.name());
        out.u8(r.hash() == null ? 0 : 1);
        if (r.hash() != null) {
            out.blob(r.salt());
            out.blob(r.hash());
        }
        out.strings(r.tags());
        return out.bytes();
    }

    public static UserRecord readUser(ByteBuffer record) {
        In in = new In(record, USER);
        String name = in.str();
        boolean hasPassword = in.u8() == 1;
        byte[] salt = hasPassword ? in.blob() : null;
        byte[] hash = hasPassword ? in.blob() : null;
        return new UserRecord(name, salt, hash, in.strings());
    }

    public static byte[] vhost(VhostRecord r) {
        Out out = new Out(VHOST);
        out.str(r.name());
        out.str(r.description());
        out.strings(r.tags());
        return out.bytes();
    }

    public static VhostRecord readVhost(ByteBuffer record) {
        In in = new In(record, VHOST);
        return new VhostRecord(in.str(), in.str(), in.strings());
    }

    public static byte[] permission(PermissionRecord r) {
        Out out = new Out(PERMISSION);
        out.str(r.user());
        out.str(r.vhost());
        out.str(r.configure());
        out.str(r.write());
        out.str(r.read());
        return out.bytes();
    }

    public static PermissionRecord readPermission(ByteBuffer record) {
        In in = new In(record, PERMISSION);
        return new PermissionRecord(in.str(), in.str(), in.str(), in.str(), in.str());
    }

    /** A stored policy (see {@link io.ferrymq.core.policy.Policy}). */
    public record PolicyRecord(String vhost, String name, String pattern, String applyTo, int priority,
                               Map<String, Object> definition) {
    }

    public static byte[] policy(PolicyRecord r) {
        Out out = new Out(POLICY);
        out.str(r.vhost());
        out.str(r.name());
        out.str(r.pattern());
        out.str(r.applyTo());
        out.i32(r.priority());
        out.table(r.definition());
        return out.bytes();
    }

    public static PolicyRecord readPolicy(ByteBuffer record) {
        In in = new In(record, POLICY);
        return new PolicyRecord(in.str(), in.str(), in.str(), in.str(), in.i32(), in.table());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castTable(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A record that cannot be decoded. */
    public static final class BadRecordException extends RuntimeException {
        public BadRecordException(String message) {
            super(message);
        }
    }

    private static final class Out {
        private final Buffer buffer;
        private final DataOutputStream data;

        Out(byte kind) {
            this(kind, 64);
        }

        Out(byte kind, int size) {
            buffer = new Buffer(size);
            data = new DataOutputStream(buffer);
            u8(kind);
            u8(VERSION);
        }

        byte[] bytes() {
            return buffer.toByteArray();
        }

        /** What was written so far followed by {@code blob} as {@link #blob} writes it, in one exactly sized array. */
        byte[] bytesThenBlob(byte[] blob) {
            int head = buffer.size();
            byte[] out = new byte[head + Integer.BYTES + blob.length];
            System.arraycopy(buffer.array(), 0, out, 0, head);
            ByteBuffer.wrap(out, head, Integer.BYTES).putInt(blob.length);
            System.arraycopy(blob, 0, out, head + Integer.BYTES, blob.length);
            return out;
        }

        void u8(int v) {
            try {
                data.writeByte(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void i16(int v) {
            try {
                data.writeShort(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void i32(int v) {
            try {
                data.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void i64(long v) {
            try {
                data.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void blob(byte[] bytes) {
            i32(bytes.length);
            buffer.write(bytes, 0, bytes.length);
        }

        void str(String s) {
            if (s == null) {
                i32(-1);
            } else {
                blob(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        void strings(List<String> strings) {
            i32(strings.size());
            strings.forEach(this::str);
        }

        void table(Map<String, Object> table) {
            if (table == null) {
                i32(0);
                return;
            }
            i32(table.size());
            for (Map.Entry<String, Object> e : table.entrySet()) {
                str(e.getKey());
                value(e.getValue());
            }
        }

        void value(Object v) {
            if (v == null) {
                u8('V');
            } else if (v instanceof Boolean b) {
                u8('t');
                u8(b ? 1 : 0);
            } else if (v instanceof Byte b) {
                u8('b');
                u8(b);
            } else if (v instanceof Short s) {
                u8('s');
                i16(s);
            } else if (v instanceof Integer i) {
                u8('I');
                i32(i);
            } else if (v instanceof Long l) {
                u8('l');
                i64(l);
            } else if (v instanceof Float f) {
                u8('f');
                i32(Float.floatToIntBits(f));
            } else if (v instanceof Double d) {
                u8('d');
                i64(Double.doubleToLongBits(d));
            } else if (v instanceof BigDecimal d) {
                u8('D');
                i32(d.scale());
                blob(d.unscaledValue().toByteArray());
            } else if (v instanceof LongString s) {
                u8('S');
                blob(s.unsafeBytes());
            } else if (v instanceof String s) {
                u8('J');
                str(s);
            } else if (v instanceof byte[] bytes) {
                u8('x');
                blob(bytes);
            } else if (v instanceof List<?> list) {
                u8('A');
                i32(list.size());
                list.forEach(this::value);
            } else if (v instanceof Instant t) {
                u8('T');
                i64(t.getEpochSecond());
            } else if (v instanceof Map<?, ?> map) {
                u8('F');
                table(castTable(map));
            } else {
                throw new IllegalArgumentException("cannot store a field value of type " + v.getClass().getName());
            }
        }
    }

    private static final class In {
        private final ByteBuffer buf;

        In(ByteBuffer record, byte kind) {
            this.buf = record.duplicate();
            try {
                byte k = buf.get();
                byte version = buf.get();
                if (k != kind || version != VERSION) {
                    throw new BadRecordException("record of kind " + k + " version " + version + ", expected kind "
                            + kind + " version " + VERSION);
                }
            } catch (BufferUnderflowException e) {
                throw new BadRecordException("empty record");
            }
        }

        int u8() {
            return buf.get() & 0xff;
        }

        int i16() {
            return buf.getShort() & 0xffff;
        }

        int i32() {
            return buf.getInt();
        }

        long i64() {
            return buf.getLong();
        }

        byte[] blob() {
            int length = buf.getInt();
            if (length < 0 || length > buf.remaining()) {
                throw new BadRecordException("length " + length + " past the end of the record");
            }
            byte[] bytes = new byte[length];
            buf.get(bytes);
            return bytes;
        }

        /** The length of the blob at the read position, checked against the record's end. */
        int blobLength() {
            int length = buf.getInt(buf.position());
            if (length < 0 || length > buf.remaining() - 4) {
                throw new BadRecordException("length " + length + " past the end of the record");
            }
            return length;
        }

        void skipStr() {
            if (buf.getInt(buf.position()) == -1) {
                buf.getInt();
                return;
            }
            int length = blobLength();
            buf.position(buf.position() + 4 + length);
        }

        String str() {
            int length = buf.getInt(buf.position());
            if (length == -1) {
                buf.getInt();
                return null;
            }
            return new String(blob(), StandardCharsets.UTF_8);
        }

        List<String> strings() {
            int count = buf.getInt();
            if (count < 0 || count > buf.remaining()) {
                throw new BadRecordException("list of " + count + " strings past the end of the record");
            }
            List<String> strings = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                strings.add(str());
            }
            return strings;
        }

        Map<String, Object> table() {
            int count = buf.getInt();
            if (count < 0 || count > buf.remaining()) {
                throw new BadRecordException("table of " + count + " entries past the end of the record");
            }
            Map<String, Object> table = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = str();
                table.put(key, value());
            }
            return table;
        }

        Object value() {
            int tag = u8();
            return switch (tag) {
                case 'V' -> null;
                case 't' -> u8() != 0;
                case 'b' -> buf.get();
                case 's' -> buf.getShort();
                case 'I' -> buf.getInt();
                case 'l' -> buf.getLong();
                case 'f' -> Float.intBitsToFloat(buf.getInt());
                case 'd' -> Double.longBitsToDouble(buf.getLong());
                case 'D' -> {
                    int scale = buf.getInt();
                    yield new BigDecimal(new BigInteger(blob()), scale);
                }
                case 'S' -> LongString.wrap(blob());
                case 'J' -> str();
                case 'x' -> blob();
                case 'A' -> {
                    int count = buf.getInt();
                    if (count < 0 || count > buf.remaining()) {
                        throw new BadRecordException("array of " + count + " values past the end of the record");
                    }
                    List<Object> list = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        list.add(value());
                    }
                    yield list;
                }
                case 'T' -> Instant.ofEpochSecond(buf.getLong());
                case 'F' -> table();
                default -> throw new BadRecordException("unknown field value tag " + tag);
            };
        }
    }

    /** A byte array stream whose array can be read without the copy {@code toByteArray} makes. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
