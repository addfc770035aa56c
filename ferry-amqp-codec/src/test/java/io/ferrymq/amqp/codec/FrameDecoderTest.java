package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrymq.amqp.codec.DecoderHarness.Body;
import io.ferrymq.amqp.codec.DecoderHarness.Outcome;
import io.ferrymq.amqp.codec.method.BasicDeliver;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.ChannelClose;
import io.ferrymq.amqp.codec.method.ConnectionStart;
import io.ferrymq.amqp.codec.method.QueueDeclare;
import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A valid stream of frames decodes to the same frames however the network splits it. */
@ExtendWith(NettyLeakCheck.class)
class FrameDecoderTest {
    private static final int FRAME_MAX = 128;
    private static byte[] stream;
    private static List<Object> expected;

    @BeforeAll
    static void encodeStream() {
        RandomValues values = new RandomValues(7);
        MessageProperties properties = new MessageProperties("text/plain", null,
                Map.of("x-death", List.of(Map.of("count", 1L))), 2, null, null, null, null, "id-1",
                Instant.ofEpochSecond(1_000_000), null, null, null, null);
        byte[] body = new byte[300];
        values.random().nextBytes(body);
        ByteBuf out = Unpooled.buffer();
        try {
            FrameEncoder.writeMethod(out, 0, new ConnectionStart(0, 9, Map.of("capabilities",
                    Map.of("publisher_confirms", true), "product", LongString.of("FerryMQ")),
                    LongString.of("PLAIN AMQPLAIN"), LongString.of("en_US")));
            FrameEncoder.writeHeartbeat(out);
            FrameEncoder.writeContent(out, 1, new BasicPublish(0, "amq.topic", "a.b", true, false), properties,
                    body, FRAME_MAX);
            FrameEncoder.writeMethod(out, 3, new QueueDeclare(0, "orders", false, true, false, false, false,
                    Map.of("x-max-length", 10, "x-queue-type", "classic")));
            FrameEncoder.writeContent(out, 2, new BasicDeliver("ctag", 1, true, "", "orders"),
                    MessageProperties.EMPTY, new byte[0], FRAME_MAX);
            FrameEncoder.writeHeartbeat(out);
            FrameEncoder.writeMethod(out, 65535, new ChannelClose(200, "bye", 0, 0));
            stream = ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
        expected = decodeWhole();
    }

    private static List<Object> decodeWhole() {
        Outcome outcome = DecoderHarness.decode(new TrackingAllocator(true), FRAME_MAX, stream);
        assertThat(outcome.error()).isNull();
        return outcome.frames();
    }

    @Test
    void decodesTheWholeStreamIntoTheFramesThatWereEncoded() {
        assertThat(expected).hasSize(12);
        assertThat(expected.stream().filter(f -> f instanceof Body).map(f -> ((Body) f).hex().length() / 2))
                .containsExactly(120, 120, 60);
        assertThat(expected.get(expected.size() - 1)).isEqualTo(Normalized.of(
                new MethodFrame(65535, new ChannelClose(200, "bye", 0, 0))));
    }

    @Test
    void decodesTheSameFramesAtEverySplitPoint() {
        TrackingAllocator allocator = new TrackingAllocator(true);
        for (int cut = 1; cut < stream.length; cut++) {
            Outcome outcome = DecoderHarness.decode(allocator, FRAME_MAX, stream, cut);
            assertThat(outcome.error()).as("split at %d", cut).isNull();
            assertThat(outcome.frames()).as("split at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void decodesTheSameFramesFedOneOctetAtATime() {
        Outcome outcome = DecoderHarness.decodeBytewise(new TrackingAllocator(true), FRAME_MAX, stream);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.frames()).isEqualTo(expected);
    }

    @Test
    void bodyFramesAreSlicesOfTheReceivedBytesNotCopies() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        ByteBuf input = Unpooled.wrappedBuffer(stream.clone());
        channel.writeInbound(input.retain());
        List<BodyFrame> bodies = new ArrayList<>();
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            if (frame instanceof BodyFrame body) {
                bodies.add(body);
            }
        }
        assertThat(channel.finish()).isFalse();
        try {
            assertThat(bodies).hasSize(3).allSatisfy(body -> assertThat(body.payload().array())
                    .isSameAs(input.array()));
            assertThat(input.refCnt()).as("input kept alive by 3 slices and this test").isEqualTo(4);
        } finally {
            bodies.forEach(BodyFrame::release);
            input.release();
        }
        assertThat(input.refCnt()).isZero();
    }
}
