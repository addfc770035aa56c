package io.ferrymq.core.delay;

import io.ferrymq.core.Message;
import io.ferrymq.core.persist.BrokerRecords;

import java.nio.ByteBuffer;

/**
 * How a delayed exchange stores a pending message, as an entry of its own stream (the stream id is the exchange's
 * store key, the entry id the message's sequence in the exchange): {@code 0x12 0x01}, int64 due time (ms since the
 * epoch, the broker clock's), then the message exactly as {@link BrokerRecords#message} writes it. Big-endian.
 * Stateless.
 */
public final class DelayedRecords {
    public static final byte KIND = 0x12;
    private static final byte VERSION = 1;
    private static final int HEADER = 10;

    private DelayedRecords() {
    }

    public static byte[] encode(long dueAt, Message message) {
        byte[] stored = BrokerRecords.message(message);
        ByteBuffer out = ByteBuffer.allocate(HEADER + stored.length);
        out.put(KIND).put(VERSION).putLong(dueAt).put(stored);
        return out.array();
    }

    /** The due time of a record {@link #encode} wrote. */
    public static long dueAt(ByteBuffer record) {
        check(record);
        return record.getLong(record.position() + 2);
    }

    /** The due time of a record {@link #encode} wrote. */
    public static long dueAt(byte[] record) {
        return dueAt(ByteBuffer.wrap(record));
    }

    /** The body size of the stored message, without decoding it. */
    public static int bodySize(ByteBuffer record) {
        return BrokerRecords.readMessageSummary(message(record)).bodySize();
    }

    public static Message readMessage(ByteBuffer record) {
        return BrokerRecords.readMessage(message(record));
    }

    private static ByteBuffer message(ByteBuffer record) {
        check(record);
        return record.duplicate().position(record.position() + HEADER).slice();
    }

    private static void check(ByteBuffer record) {
        if (record.remaining() < HEADER || record.get(record.position()) != KIND
                || record.get(record.position() + 1) != VERSION) {
            throw new BrokerRecords.BadRecordException("not a delayed message record (kind " + KIND + " version "
                    + VERSION + ")");
        }
    }
}
