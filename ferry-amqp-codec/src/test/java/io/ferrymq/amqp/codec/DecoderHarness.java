package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds bytes in chunks through a {@link FrameDecoder} in an {@link EmbeddedChannel}, the way a socket delivers
 * them, and turns what comes out into comparable values. Every frame is released, and every buffer the
 * allocator produced is checked to be released afterwards.
 */
final class DecoderHarness {
    /** What the decoder produced: frames as comparable values, and the error that stopped it, if any. */
    record Outcome(List<Object> frames, FrameDecodingException error) {
    }

    /** A body frame by content, since its buffer is released before comparison. */
    record Body(int channel, String hex) {
    }

    private DecoderHarness() {
    }

    /** Decodes {@code input} delivered in chunks that end at each of {@code cuts} and at the end. */
    static Outcome decode(TrackingAllocator allocator, int maxFrameSize, byte[] input, int... cuts) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(new FrameDecoder(maxFrameSize));
        List<Object> frames = new ArrayList<>();
        FrameDecodingException error = null;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : input.length;
            try {
                channel.writeInbound(allocator.copyOf(input, from, to - from));
            } catch (DecoderException e) {
                assertThat(error).as("only the first bad frame raises an error").isNull();
                assertThat(e.getCause()).isInstanceOf(FrameDecodingException.class);
                error = (FrameDecodingException) e.getCause();
            }
            drain(channel, frames);
            from = to;
        }
        channel.finish();
        drain(channel, frames);
        allocator.assertAllReleased();
        return new Outcome(frames, error);
    }

    /** Decodes {@code input} delivered one octet at a time. */
    static Outcome decodeBytewise(TrackingAllocator allocator, int maxFrameSize, byte[] input) {
        int[] cuts = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return decode(allocator, maxFrameSize, input, cuts);
    }

    private static void drain(EmbeddedChannel channel, List<Object> frames) {
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            assertThat(message).isInstanceOf(Frame.class);
            frames.add(comparable((Frame) message));
            ReferenceCountUtil.release(message);
        }
    }

    private static Object comparable(Frame frame) {
        if (frame instanceof BodyFrame body) {
            return new Body(body.channel(), ByteBufUtil.hexDump(body.payload()));
        }
        return Normalized.of(frame);
    }
}
