package io.ferrymq.amqp.codec;

import static io.ferrymq.amqp.codec.FrameDecodingException.FRAME_ERROR;
import static io.ferrymq.amqp.codec.FrameDecodingException.NOT_IMPLEMENTED;
import static io.ferrymq.amqp.codec.FrameDecodingException.SYNTAX_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrymq.amqp.codec.DecoderHarness.Outcome;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicDeliver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Malformed input is refused with the reply code the connection must close with. */
@ExtendWith(NettyLeakCheck.class)
class FrameDecoderErrorTest {
    private static final int FRAME_MAX = 4096;
    private final TrackingAllocator allocator = new TrackingAllocator(true);

    @Test
    void badFrameEndOctetIsAFrameErrorNamingTheOctet() {
        byte[] frame = method(1, new BasicAck(1, false));
        frame[frame.length - 1] = 'A';
        FrameDecodingException error = decodeError(frame);
        assertThat(error.replyCode()).isEqualTo(FRAME_ERROR);
        assertThat(error.channel()).isEqualTo(1);
        assertThat(error.getMessage()).contains("0x41").contains("0xce");
    }

    @Test
    void frameLargerThanFrameMaxIsRefusedBeforeItsPayloadArrives() {
        byte[] header = ByteBufUtil.decodeHexDump("03" + "0001" + "00001000");
        FrameDecodingException error = decodeError(header);
        assertThat(error.replyCode()).isEqualTo(FRAME_ERROR);
        assertThat(error.getMessage()).contains("4104").contains("4096");
        byte[] justFits = ByteBufUtil.decodeHexDump("03" + "0001" + "00000ff8");
        assertThat(DecoderHarness.decode(allocator, FRAME_MAX, justFits).error()).isNull();
    }

    @Test
    void unknownFrameTypeIsAFrameError() {
        // A second protocol header arriving mid-stream starts with 'A'.
        FrameDecodingException error = decodeError(FrameEncoder.PROTOCOL_HEADER);
        assertThat(error.replyCode()).isEqualTo(FRAME_ERROR);
        assertThat(error.getMessage()).contains("unknown frame type 65");
    }

    @Test
    void heartbeatWithPayloadOrChannelIsAFrameError() {
        assertThat(decodeError(ByteBufUtil.decodeHexDump("08" + "0000" + "00000001" + "00" + "ce")).replyCode())
                .isEqualTo(FRAME_ERROR);
        assertThat(decodeError(ByteBufUtil.decodeHexDump("08" + "0005" + "00000000" + "ce")).replyCode())
                .isEqualTo(FRAME_ERROR);
    }

    @Test
    void truncatedMethodArgumentsAreAFrameErrorNamingTheMethod() {
        byte[] full = payloadOf(new BasicDeliver("ctag", 9, false, "ex", "rk"));
        for (int length = 0; length < full.length; length++) {
            // A shortstr whose length octet survives but whose text is cut is a length running past the frame.
            int expected = isInsideShortstrText(length) ? SYNTAX_ERROR : FRAME_ERROR;
            FrameDecodingException error = decodeError(frame(FrameFormat.METHOD, 2, full, length));
            assertThat(error.replyCode()).as("payload cut to %d octets", length).isEqualTo(expected);
            assertThat(error.channel()).isEqualTo(2);
            if (length >= 4) {
                assertThat(error.classId()).isEqualTo(60);
                assertThat(error.methodId()).isEqualTo(60);
                assertThat(error.getMessage()).contains("basic.deliver");
            }
        }
    }

    @Test
    void trailingOctetsAfterMethodArgumentsAreAFrameError() {
        byte[] payload = payloadOf(new BasicAck(1, true));
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThat(decodeError(frame(FrameFormat.METHOD, 1, longer, longer.length)).replyCode()).isEqualTo(FRAME_ERROR);
    }

    @Test
    void unknownFieldTableTagIsASyntaxErrorInItsMethod() {
        byte[] payload = build(b -> b.writeShort(50).writeShort(10).writeShort(0).writeByte(1).writeByte('q')
                .writeByte(0).writeInt(4).writeByte(1).writeByte('k').writeByte('U').writeByte(0));
        FrameDecodingException error = decodeError(frame(FrameFormat.METHOD, 3, payload, payload.length));
        assertThat(error.replyCode()).isEqualTo(SYNTAX_ERROR);
        assertThat(error.channel()).isEqualTo(3);
        assertThat(error.classId()).isEqualTo(50);
        assertThat(error.methodId()).isEqualTo(10);
        assertThat(error.getMessage()).contains("queue.declare").contains("on channel 3");
    }

    @Test
    void tableNested100000DeepIsASyntaxErrorNotAStackOverflow() {
        int depth = 100_000;
        byte[] payload = build(b -> {
            b.writeShort(50).writeShort(10).writeShort(0).writeByte(1).writeByte('q').writeByte(0);
            for (int level = 0; level < depth; level++) {
                int remaining = depth - level - 1;
                b.writeInt(remaining * 7);
                if (remaining > 0) {
                    b.writeByte(1).writeByte('n').writeByte('F');
                }
            }
        });
        Outcome outcome = DecoderHarness.decode(allocator, 0, frame(FrameFormat.METHOD, 1, payload, payload.length));
        assertThat(outcome.error().replyCode()).isEqualTo(SYNTAX_ERROR);
        assertThat(outcome.error().getMessage()).contains("32 levels");
    }

    @Test
    void unknownClassOrMethodIsNotImplemented() {
        byte[] unknownMethod = build(b -> b.writeShort(60).writeShort(99));
        FrameDecodingException error = decodeError(frame(FrameFormat.METHOD, 1, unknownMethod, 4));
        assertThat(error.replyCode()).isEqualTo(NOT_IMPLEMENTED);
        assertThat(error.classId()).isEqualTo(60);
        assertThat(error.methodId()).isEqualTo(99);
        byte[] unknownClass = build(b -> b.writeShort(61).writeShort(10));
        assertThat(decodeError(frame(FrameFormat.METHOD, 1, unknownClass, 4)).replyCode()).isEqualTo(NOT_IMPLEMENTED);
    }

    @Test
    void discardsEverythingAfterTheFirstError() {
        byte[] good = method(1, new BasicAck(1, false));
        byte[] input = new byte[good.length * 3];
        System.arraycopy(good, 0, input, 0, good.length);
        input[good.length] = 42;
        System.arraycopy(good, 0, input, good.length * 2, good.length);
        // The later good frame arrives in a separate read and must still be ignored, silently.
        Outcome outcome = DecoderHarness.decode(allocator, FRAME_MAX, input, good.length + 1, good.length * 2);
        assertThat(outcome.frames()).hasSize(1);
        assertThat(outcome.error().replyCode()).isEqualTo(FRAME_ERROR);
    }

    @Test
    void appliesANewFrameMaxToLaterFrames() {
        FrameDecoder decoder = new FrameDecoder(FrameFormat.DEFAULT_FRAME_MAX);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] frame = method(1, new BasicAck(1, false));
        channel.writeInbound(Unpooled.wrappedBuffer(frame));
        decoder.setMaxFrameSize(frame.length - 1);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(frame));
            throw new AssertionError("frame over the new limit was accepted");
        } catch (DecoderException e) {
            assertThat(((FrameDecodingException) e.getCause()).replyCode()).isEqualTo(FRAME_ERROR);
        }
        assertThat((Object) channel.readInbound()).isInstanceOf(MethodFrame.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** Whether a payload cut to {@code length} octets ends after a shortstr's length octet but inside its text. */
    private static boolean isInsideShortstrText(int length) {
        // basic.deliver payload: ids 0-3, "ctag" 4-8, delivery-tag 9-16, bits 17, "ex" 18-20, "rk" 21-23.
        return length >= 5 && length <= 8 || length == 19 || length == 20 || length >= 22;
    }

    private FrameDecodingException decodeError(byte[] input) {
        Outcome outcome = DecoderHarness.decode(allocator, FRAME_MAX, input);
        assertThat(outcome.error()).as("decoding error").isNotNull();
        return outcome.error();
    }

    private static byte[] payloadOf(AmqpMethod method) {
        return build(b -> MethodEncoder.write(b, method));
    }

    private static byte[] method(int channel, AmqpMethod method) {
        return build(b -> FrameEncoder.writeMethod(b, channel, method));
    }

    private static byte[] frame(int type, int channel, byte[] payload, int length) {
        return build(b -> b.writeByte(type).writeShort(channel).writeInt(length).writeBytes(payload, 0, length)
                .writeByte(FrameFormat.FRAME_END));
    }

    private static byte[] build(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
