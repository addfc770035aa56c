package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.Frame;
import io.ferrymq.amqp.codec.FrameDecoder;
import io.ferrymq.amqp.codec.FrameEncoder;
import io.ferrymq.amqp.codec.HeaderFrame;
import io.ferrymq.amqp.codec.MethodFrame;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.ChannelOpen;
import io.ferrymq.amqp.codec.method.ChannelOpenOk;
import io.ferrymq.amqp.codec.method.ConnectionOpen;
import io.ferrymq.amqp.codec.method.ConnectionOpenOk;
import io.ferrymq.amqp.codec.method.ConnectionStart;
import io.ferrymq.amqp.codec.method.ConnectionStartOk;
import io.ferrymq.amqp.codec.method.ConnectionTune;
import io.ferrymq.amqp.codec.method.ConnectionTuneOk;
import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Broker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted AMQP client over a Netty {@link EmbeddedChannel} that holds the server's pipeline
 * exactly as {@link AmqpServer} builds it: tests write frames in and read the frames (and raw
 * bytes) that come out, with time under their control. Frames the server writes are decoded with
 * the codec's own decoder.
 */
final class TestPeer implements AutoCloseable {
    static final String USER = "ferry";
    static final String PASSWORD = "secret";
    static final int FRAME_MAX = 131072;

    final EmbeddedChannel server;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(0));
    private final Deque<Frame> received = new ArrayDeque<>();

    TestPeer(Broker broker) {
        this(broker, AmqpServerConfig.defaults().withPort(0));
    }

    TestPeer(Broker broker, AmqpServerConfig config) {
        AmqpConnection connection = new AmqpConnection(broker, config,
                ServerProperties.build(config.productVersion(), config.nodeName()));
        server = new EmbeddedChannel();
        server.freezeTime();
        server.pipeline()
                .addLast(ProtocolHeaderHandler.NAME, new ProtocolHeaderHandler(connection, config.frameMax()))
                .addLast("amqp-connection", connection);
        server.pipeline().fireChannelActive();
    }

    // ------------------------------------------------------------------ sending

    void sendHeader() {
        sendBytes(FrameEncoder.PROTOCOL_HEADER);
    }

    void sendBytes(byte[] bytes) {
        server.writeInbound(Unpooled.wrappedBuffer(bytes));
        server.runPendingTasks();
    }

    void send(int channel, AmqpMethod method) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.writeMethod(buf, channel, method);
        write(buf);
    }

    void sendHeaderFrame(int channel, long bodySize) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.writeHeader(buf, channel, 60, bodySize, MessageProperties.EMPTY);
        write(buf);
    }

    void sendBodyFrame(int channel, byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(3).writeShort(channel).writeInt(payload.length).writeBytes(payload).writeByte(0xCE);
        write(buf);
    }

    void publish(int channel, String exchange, String routingKey, boolean mandatory, String body) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.writeContent(buf, channel, new BasicPublish(0, exchange, routingKey, mandatory, false),
                MessageProperties.EMPTY, body.getBytes(StandardCharsets.UTF_8), FRAME_MAX);
        write(buf);
    }

    void write(ByteBuf buf) {
        server.writeInbound(buf);
        server.runPendingTasks();
    }

    // ------------------------------------------------------------------ receiving

    /** The next frame the server wrote, or null when it wrote nothing more. */
    Frame nextFrame() {
        pump();
        return received.poll();
    }

    AmqpMethod nextMethod() {
        Frame frame = nextFrame();
        assertThat(frame).as("a method frame from the server").isInstanceOf(MethodFrame.class);
        return ((MethodFrame) frame).method();
    }

    <T extends AmqpMethod> T expect(Class<T> type) {
        AmqpMethod method = nextMethod();
        assertThat(method).isInstanceOf(type);
        return type.cast(method);
    }

    /** A content-bearing method followed by its header and body frames: the body as text. */
    String expectContent(AmqpMethod method) {
        Frame header = nextFrame();
        assertThat(header).isInstanceOf(HeaderFrame.class);
        long size = ((HeaderFrame) header).bodySize();
        StringBuilder body = new StringBuilder();
        long read = 0;
        while (read < size) {
            Frame frame = nextFrame();
            assertThat(frame).isInstanceOf(BodyFrame.class);
            ByteBuf payload = ((BodyFrame) frame).payload();
            read += payload.readableBytes();
            body.append(payload.toString(StandardCharsets.UTF_8));
            payload.release();
        }
        return body.toString();
    }

    void expectNothing() {
        assertThat(nextFrame()).as("no further frame").isNull();
    }

    /** Raw bytes the server wrote, for the protocol-header refusal (no frames then). */
    byte[] rawOutput() {
        server.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        ByteBuf next;
        while ((next = server.readOutbound()) != null) {
            all.writeBytes(next);
            next.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }

    boolean isOpen() {
        server.runPendingTasks();
        return server.isOpen();
    }

    void advance(long amount, TimeUnit unit) {
        server.advanceTimeBy(amount, unit);
        server.runScheduledPendingTasks();
        server.runPendingTasks();
    }

    private void pump() {
        server.runPendingTasks();
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            if (out.isReadable() && out.getByte(out.readerIndex()) == 'A') {
                throw new AssertionError("server wrote a protocol header where frames were expected");
            }
            decoder.writeInbound(out);
        }
        Object frame;
        while ((frame = decoder.readInbound()) != null) {
            received.add((Frame) frame);
        }
    }

    // ------------------------------------------------------------------ scripted handshakes

    static Map<String, Object> clientProperties(String... capabilities) {
        Map<String, Object> caps = new LinkedHashMap<>();
        for (String capability : capabilities) {
            caps.put(capability, true);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("product", "TestPeer");
        props.put("capabilities", caps);
        return props;
    }

    static LongString plain(String user, String password) {
        return LongString.of("\0" + user + "\0" + password);
    }

    ConnectionStart start() {
        sendHeader();
        return expect(ConnectionStart.class);
    }

    /** Header, start-ok (PLAIN), tune-ok (the offered values) and open of vhost "/". */
    void open(String... capabilities) {
        start();
        send(0, new ConnectionStartOk(clientProperties(capabilities), "PLAIN", plain(USER, PASSWORD), "en_US"));
        ConnectionTune tune = expect(ConnectionTune.class);
        send(0, new ConnectionTuneOk(tune.channelMax(), tune.frameMax(), 0));
        send(0, new ConnectionOpen("/", "", false));
        expect(ConnectionOpenOk.class);
    }

    void openChannel(int channel) {
        send(channel, new ChannelOpen(""));
        expect(ChannelOpenOk.class);
    }

    @Override
    public void close() {
        server.finishAndReleaseAll();
        Frame frame;
        while ((frame = received.poll()) != null) {
            if (frame instanceof BodyFrame body) {
                body.release();
            }
        }
        decoder.finishAndReleaseAll();
    }
}
