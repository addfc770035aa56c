package io.ferrymq.core.queue;

import io.ferrymq.core.persist.BrokerRecords;

import java.nio.ByteBuffer;

/**
 * What a stored queue keeps of a message's failed deliveries across a restart: how many deliveries it had when the
 * last one failed, and when it is ready again (its retry due time; the failure's time when it was ready at once).
 *
 * <p>Stored as an entry of the queue's stream, apart from the message (whose record is never rewritten), with a
 * negative entry id: {@code 0x11 0x01}, int64 message sequence, int32 delivery count, int64 ready time (ms since
 * the epoch, the broker clock's). Big-endian.
 */
public record DeliveryState(long sequence, int deliveryCount, long readyAt) {
    public static final byte KIND = 0x11;
    private static final byte VERSION = 1;
    private static final int SIZE = 22;

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put(KIND).put(VERSION).putLong(sequence).putInt(deliveryCount)
                .putLong(readyAt).array();
    }

    /** Whether a stored entry of a queue's stream is a delivery state rather than a message. */
    public static boolean isDeliveryState(ByteBuffer record) {
        return record.remaining() > 0 && record.get(record.position()) == KIND;
    }

    public static DeliveryState decode(ByteBuffer record) {
        ByteBuffer in = record.duplicate();
        if (in.remaining() < SIZE || in.get() != KIND || in.get() != VERSION) {
            throw new BrokerRecords.BadRecordException("not a delivery state record (kind " + KIND + " version "
                    + VERSION + ")");
        }
        return new DeliveryState(in.getLong(), in.getInt(), in.getLong());
    }
}
