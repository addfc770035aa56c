package io.ferrymq.it.crash;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * One message of the crash test, named by its publisher and that publisher's sequence number (1, 2, ... across
 * every round). Its queue follows from the name, so a message found in the wrong queue is caught too.
 *
 * <p>Body: publisher (int32), sequence (int64), padding length (int32), padding, CRC32C of everything before it
 * (int64). Padding is random bytes of a random length, or now and then a long compressible run, so that bodies
 * cross the store's compression threshold and both stored forms (raw and LZ4) get killed mid-write.
 */
record CrashMessage(int publisher, long seq) {
    static final int PUBLISHERS = 4;
    static final int QUEUES = 4;
    private static final int HEADER = 4 + 8 + 4;
    private static final int TRAILER = 8;
    /** Above the store's default 4 KiB compression threshold. */
    private static final int COMPRESSIBLE_PADDING = 6_000;

    /** Spreads each publisher over every queue, so each queue holds interleaved messages of all publishers. */
    int queue() {
        return (int) ((publisher + seq) % QUEUES);
    }

    static String queueName(int queue) {
        return "crash-" + queue;
    }

    byte[] encode(Random random) {
        byte[] padding;
        if (random.nextInt(10) == 0) {
            padding = new byte[COMPRESSIBLE_PADDING];
            Arrays.fill(padding, (byte) ('a' + random.nextInt(26)));
        } else {
            padding = new byte[random.nextInt(512)];
            random.nextBytes(padding);
        }
        ByteBuffer body = ByteBuffer.allocate(HEADER + padding.length + TRAILER);
        body.putInt(publisher).putLong(seq).putInt(padding.length).put(padding);
        body.putLong(crc(body.array(), body.position()));
        return body.array();
    }

    /**
     * The message a body carries.
     *
     * @throws IllegalArgumentException when the body is not byte-identical to what a publisher sent: wrong length
     *                                  or checksum mismatch
     */
    static CrashMessage decode(byte[] body) {
        if (body.length < HEADER + TRAILER) {
            throw new IllegalArgumentException("body of " + body.length + " bytes is shorter than any message");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        int publisher = in.getInt();
        long seq = in.getLong();
        int padding = in.getInt();
        if (padding < 0 || body.length != HEADER + padding + TRAILER) {
            throw new IllegalArgumentException("body of " + body.length + " bytes announces " + padding
                    + " bytes of padding");
        }
        long expected = in.getLong(HEADER + padding);
        long actual = crc(body, HEADER + padding);
        if (expected != actual) {
            throw new IllegalArgumentException("checksum mismatch in a body claiming to be publisher " + publisher
                    + " seq " + seq + ": stored " + Long.toHexString(expected) + ", computed "
                    + Long.toHexString(actual));
        }
        if (publisher < 0 || publisher >= PUBLISHERS || seq < 1) {
            throw new IllegalArgumentException("no such message: publisher " + publisher + " seq " + seq);
        }
        return new CrashMessage(publisher, seq);
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    @Override
    public String toString() {
        return "p" + publisher + "#" + seq;
    }
}
