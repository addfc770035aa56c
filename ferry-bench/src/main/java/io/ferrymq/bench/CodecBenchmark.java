package io.ferrymq.bench;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.ContentHeaderDecoder;
import io.ferrymq.amqp.codec.ContentHeaderEncoder;
import io.ferrymq.amqp.codec.FrameDecoder;
import io.ferrymq.amqp.codec.FrameEncoder;
import io.ferrymq.amqp.codec.HeaderFrame;
import io.ferrymq.amqp.codec.method.BasicDeliver;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AMQP codec on the publish → deliver path, one message of 1,000 body octets with the properties a typical
 * application sets (content type, persistent delivery mode, priority, correlation and message ids, timestamp,
 * app id and two headers): decoding basic.publish + header + body as the server's pipeline does (the
 * {@link FrameDecoder} in a channel), encoding basic.deliver + header + body into a pooled direct buffer as the
 * server's frame writer does, and the content header on its own both ways.
 *
 * <p>Single-threaded; one operation is one message (three frames) or one header.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    private static final int CHANNEL = 1;
    private static final int BODY_SIZE = 1000;
    private static final int FRAME_MAX = 131072;

    static final MessageProperties TYPICAL_PROPERTIES = typicalProperties();

    private final byte[] body = new byte[BODY_SIZE];
    private final BasicDeliver deliver = new BasicDeliver("amq.ctag-Jx8Y4b1wQk2v", 123_456_789L, false, "orders",
            "orders.eu.created");
    private EmbeddedChannel decoderChannel;
    /** basic.publish, its content header and one body frame, as a client sends them. */
    private ByteBuf publishFrames;
    /** A content header payload (no frame framing), as the frame decoder hands it to the header decoder. */
    private ByteBuf headerPayload;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        Arrays.fill(body, (byte) 'x');
        decoderChannel = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        publishFrames = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        FrameEncoder.writeContent(publishFrames, CHANNEL, new BasicPublish(0, "orders", "orders.eu.created", false,
                false), TYPICAL_PROPERTIES, body, FRAME_MAX);
        headerPayload = PooledByteBufAllocator.DEFAULT.directBuffer(512);
        ContentHeaderEncoder.write(headerPayload, BasicPublish.CLASS_ID, BODY_SIZE, TYPICAL_PROPERTIES);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoderChannel.finishAndReleaseAll();
        publishFrames.release();
        headerPayload.release();
        out.release();
    }

    /** Frames of one published message through the frame decoder: method, header (properties decoded), body. */
    @Benchmark
    public void decodePublish(Blackhole bh) {
        decoderChannel.writeInbound(publishFrames.retainedDuplicate());
        bh.consume(decoderChannel.readInbound());
        bh.consume(decoderChannel.readInbound());
        BodyFrame bodyFrame = decoderChannel.readInbound();
        bh.consume(bodyFrame.payload().readableBytes());
        bodyFrame.release();
    }

    /** basic.deliver, its content header and the body frame, as the server writes each delivery. */
    @Benchmark
    public int encodeDeliver() {
        out.clear();
        FrameEncoder.writeContent(out, CHANNEL, deliver, TYPICAL_PROPERTIES, body, FRAME_MAX);
        return out.writerIndex();
    }

    /** The content header payload with the typical properties. */
    @Benchmark
    public int encodeContentHeader() {
        out.clear();
        ContentHeaderEncoder.write(out, BasicPublish.CLASS_ID, BODY_SIZE, TYPICAL_PROPERTIES);
        return out.writerIndex();
    }

    @Benchmark
    public HeaderFrame decodeContentHeader() {
        return ContentHeaderDecoder.decode(CHANNEL, headerPayload.duplicate());
    }

    private static MessageProperties typicalProperties() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("tenant", "acme");
        headers.put("attempt", 1);
        return new MessageProperties("application/json", null, headers, 2, 0,
                "c0ffee00-1234-4bcd-9def-0123456789ab", null, null, "m-0000000042",
                Instant.ofEpochSecond(1_764_000_000L), null, null, "order-service", null);
    }
}
