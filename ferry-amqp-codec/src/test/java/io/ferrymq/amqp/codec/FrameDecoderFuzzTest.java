package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrymq.amqp.codec.DecoderHarness.Outcome;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Feeds the decoder valid frames with random damage, frames with valid framing around random payloads, and
 * plain random bytes. Whatever arrives, the decoder may only emit frames or throw {@link FrameDecodingException}
 * (never another exception, never an Error), and every buffer must end up released.
 */
@ExtendWith(NettyLeakCheck.class)
class FrameDecoderFuzzTest {
    private static final long SEED = 0x5EEDF00DL;
    private static final int INPUTS = 100_000;
    private static final int[] FRAME_MAXES = {0, 64, 4096, FrameFormat.DEFAULT_FRAME_MAX};
    private static final byte[] INTERESTING = {0, 1, 2, 3, 8, (byte) 0x7f, (byte) 0x80, (byte) 0xff,
            (byte) FrameFormat.FRAME_END, 'F', 'A', 'S'};

    private final RandomValues values = new RandomValues(SEED);
    private final Random random = values.random();
    /** Checks reference counts of everything; leak-detector tracking of every access is too slow for each input. */
    private final TrackingAllocator allocator = new TrackingAllocator(false);
    /** Also tracked by Netty's (paranoid) leak detector, for every tenth input. */
    private final TrackingAllocator detectingAllocator = new TrackingAllocator(true);

    @Test
    void survivesDamagedAndRandomFrames() {
        List<byte[]> corpus = validFrames();
        int errors = 0;
        int frames = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = switch (i % 4) {
                case 0, 1 -> mutate(pick(corpus));
                case 2 -> framedRandomPayload();
                default -> values.bytes(48);
            };
            Outcome outcome = decodeOrFail(i, input);
            errors += outcome.error() != null ? 1 : 0;
            frames += outcome.frames().size();
        }
        // Guard against a fuzzer that only ever produces garbage or only ever produces valid frames.
        assertThat(errors).isBetween(INPUTS / 4, INPUTS - INPUTS / 10);
        assertThat(frames).isGreaterThan(INPUTS / 10);
    }

    private Outcome decodeOrFail(int index, byte[] input) {
        int frameMax = FRAME_MAXES[random.nextInt(FRAME_MAXES.length)];
        int[] cuts = input.length < 2 || random.nextBoolean() ? new int[0]
                : new int[] {1 + random.nextInt(input.length - 1)};
        try {
            return DecoderHarness.decode(index % 10 == 0 ? detectingAllocator : allocator, frameMax, input, cuts);
        } catch (Throwable t) {
            throw new AssertionError("input " + index + " (frame-max " + frameMax + ", cuts "
                    + Arrays.toString(cuts) + "): " + HexFormat.of().formatHex(input), t);
        }
    }

    /** Encoded method frames of every method, content headers, body frames and heartbeats. */
    private List<byte[]> validFrames() {
        List<byte[]> corpus = new ArrayList<>();
        ByteBuf buf = Unpooled.buffer();
        try {
            for (int round = 0; round < 5; round++) {
                for (Class<? extends AmqpMethod> type : RandomValues.METHOD_TYPES) {
                    FrameEncoder.writeMethod(buf, random.nextInt(3), values.method(type));
                    corpus.add(ByteBufUtil.getBytes(buf));
                    buf.clear();
                }
                FrameEncoder.writeHeader(buf, 1, 60, random.nextInt(1000), values.properties());
                corpus.add(ByteBufUtil.getBytes(buf));
                buf.clear();
                byte[] body = values.bytes(30);
                buf.writeByte(FrameFormat.BODY).writeShort(1).writeInt(body.length).writeBytes(body)
                        .writeByte(FrameFormat.FRAME_END);
                corpus.add(ByteBufUtil.getBytes(buf));
                buf.clear();
                FrameEncoder.writeHeartbeat(buf);
                corpus.add(ByteBufUtil.getBytes(buf));
                buf.clear();
            }
        } finally {
            buf.release();
        }
        return corpus;
    }

    /** One to three frames from the corpus, back to back. */
    private byte[] pick(List<byte[]> corpus) {
        byte[] input = corpus.get(random.nextInt(corpus.size()));
        for (int more = random.nextInt(3); more > 0; more--) {
            byte[] next = corpus.get(random.nextInt(corpus.size()));
            byte[] joined = Arrays.copyOf(input, input.length + next.length);
            System.arraycopy(next, 0, joined, input.length, next.length);
            input = joined;
        }
        return input;
    }

    private byte[] mutate(byte[] original) {
        byte[] input = original.clone();
        for (int mutations = 1 + random.nextInt(3); mutations > 0; mutations--) {
            input = mutateOnce(input);
        }
        return input;
    }

    private byte[] mutateOnce(byte[] input) {
        if (input.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        int at = random.nextInt(input.length);
        switch (random.nextInt(7)) {
            case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> input[at] = (byte) random.nextInt();
            case 2 -> input[at] = INTERESTING[random.nextInt(INTERESTING.length)];
            case 3 -> {
                return Arrays.copyOf(input, at);
            }
            case 4 -> {
                byte[] shorter = new byte[input.length - 1];
                System.arraycopy(input, 0, shorter, 0, at);
                System.arraycopy(input, at + 1, shorter, at, input.length - at - 1);
                return shorter;
            }
            case 5 -> {
                byte[] longer = new byte[input.length + 1];
                System.arraycopy(input, 0, longer, 0, at);
                longer[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                System.arraycopy(input, at, longer, at + 1, input.length - at);
                return longer;
            }
            default -> {
                // Lengths are where decoders go wrong: overwrite four octets with a random big-endian int.
                int value = random.nextBoolean() ? random.nextInt() : random.nextInt(300);
                for (int i = 0; i < 4 && at + i < input.length; i++) {
                    input[at + i] = (byte) (value >>> (24 - 8 * i));
                }
            }
        }
        return input;
    }

    /** Correct framing around a random payload, often starting with a real class and method id. */
    private byte[] framedRandomPayload() {
        int[] types = {FrameFormat.METHOD, FrameFormat.METHOD, FrameFormat.HEADER, FrameFormat.BODY};
        int type = types[random.nextInt(types.length)];
        byte[] payload = values.bytes(40);
        if (type == FrameFormat.METHOD && payload.length >= 4) {
            AmqpMethod method = values.anyMethod();
            payload[0] = 0;
            payload[1] = (byte) method.classId();
            payload[2] = 0;
            payload[3] = (byte) method.methodId();
        } else if (type == FrameFormat.HEADER && payload.length >= 2) {
            payload[0] = 0;
            payload[1] = 60;
        }
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeByte(type).writeShort(random.nextInt(4)).writeInt(payload.length).writeBytes(payload)
                    .writeByte(FrameFormat.FRAME_END);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
