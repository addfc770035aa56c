package io.ferrymq.it;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.utf8;
import static io.ferrymq.it.RawAmqp.BODY;
import static io.ferrymq.it.RawAmqp.HEADER;
import static io.ferrymq.it.RawAmqp.HEARTBEAT;
import static io.ferrymq.it.RawAmqp.METHOD;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes no real client sends. After every test the broker must still serve a normal client: a
 * misbehaving peer never hurts the others.
 */
class RawSocketIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    RawAmqp raw;

    @AfterEach
    void brokerStillServesOthers() throws Exception {
        if (raw != null) {
            raw.close();
        }
        assertNormalClientWorks(broker);
    }

    static void assertNormalClientWorks(FerryBrokerExtension broker) throws Exception {
        try (Connection conn = Amqp.connect(broker); Channel ch = conn.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.confirmSelect();
            ch.basicPublish("", q, null, utf8("still-alive"));
            ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
            GetResponse r = ch.basicGet(q, true);
            assertThat(r).isNotNull();
            assertThat(str(r.getBody())).isEqualTo("still-alive");
        }
    }

    // ---------------------------------------------------------------- protocol header

    @ParameterizedTest
    @ValueSource(strings = {"AMQP\0\0\u0009\0", "AMQP\0\0\n\0", "AMQP\0\0\u0008\0",
            "HTTP/1.1"})
    void wrongProtocolHeaderIsAnsweredWithOurHeaderAndClosed(String header) throws Exception {
        raw = RawAmqp.connect(broker);
        raw.write(header.getBytes(StandardCharsets.ISO_8859_1));
        byte[] answer = raw.readUntilEof();
        assertThat(answer).as("server's answer to %s", header).isEqualTo(RawAmqp.PROTOCOL_HEADER);
    }

    @Test
    void truncatedProtocolHeaderThenEofDoesNotHurt() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.write("AMQ".getBytes(StandardCharsets.US_ASCII));
        raw.socket.shutdownOutput();
        raw.readUntilEof();
    }

    @Test
    void truncatedFrameThenEofDoesNotHurt() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        byte[] open = RawAmqp.frame(METHOD, 1, RawAmqp.channelOpen(), RawAmqp.FRAME_END);
        raw.write(Arrays.copyOf(open, open.length - 3)); // header says more bytes than follow
        raw.socket.shutdownOutput();
        assertThat(raw.awaitEof()).as("broker closes the half-closed connection").isTrue();
    }

    @Test
    void truncatedFrameHeaderDuringHandshakeThenEof() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.write(new byte[] {METHOD, 0, 0, 0});
        raw.socket.shutdownOutput();
        assertThat(raw.awaitEof()).isTrue();
    }

    // ---------------------------------------------------------------- framing errors

    @Test
    void frameOverFrameMaxIs501() throws Exception {
        raw = RawAmqp.connect(broker).handshake(-1, 4096, 0);
        raw.openChannel(1);
        int bodySize = 10_000;
        raw.writeMethod(1, RawAmqp.basicPublish("", "whatever"));
        raw.writeFrame(HEADER, 1, RawAmqp.contentHeader(bodySize));
        raw.writeFrame(BODY, 1, new byte[bodySize]); // one body frame of 10008 bytes > frame-max 4096
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.FRAME_ERROR, false);
        assertThat(close.replyText()).isNotBlank();
    }

    @Test
    void badFrameEndOctetIs501() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.write(RawAmqp.frame(METHOD, 1, RawAmqp.channelOpen(), 0x00));
        raw.expectConnectionClose(AMQP.FRAME_ERROR);
    }

    @Test
    void badFrameEndOctetDuringHandshakeIsRefused() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        byte[] startOk = RawAmqp.method(10, 11, e -> e.emptyTable().shortstr("PLAIN")
                .longstr("\0guest\0guest".getBytes(StandardCharsets.UTF_8)).shortstr("en_US"));
        raw.write(RawAmqp.frame(METHOD, 0, startOk, 0x42));
        // RabbitMQ answers with 501 where it can, or just drops the connection; it must not hang
        assertThat(raw.awaitEof()).as("socket closed").isTrue();
        assertThat(raw.seen.stream().filter(f -> f.isMethod(10, 50))
                .allMatch(f -> RawAmqp.Close.parse(f).replyCode() == AMQP.FRAME_ERROR)).isTrue();
    }

    @Test
    void methodOnUnopenedChannelIs504() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.writeMethod(5, RawAmqp.queueDeclare("raw-q", new byte[0]));
        raw.expectConnectionClose(AMQP.CHANNEL_ERROR);
    }

    @Test
    void secondChannelOpenOnOpenChannelIs504() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        raw.writeMethod(1, RawAmqp.channelOpen());
        raw.expectConnectionClose(AMQP.CHANNEL_ERROR);
    }

    @Test
    void contentHeaderWithoutPublishIs505() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        raw.writeFrame(HEADER, 1, RawAmqp.contentHeader(3));
        raw.expectConnectionClose(AMQP.UNEXPECTED_FRAME);
    }

    @Test
    void bodyWithoutPublishIs505() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        raw.writeFrame(BODY, 1, utf8("abc"));
        raw.expectConnectionClose(AMQP.UNEXPECTED_FRAME);
    }

    @Test
    void methodInsteadOfExpectedBodyIs505() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        raw.writeMethod(1, RawAmqp.basicPublish("", "whatever"));
        raw.writeFrame(HEADER, 1, RawAmqp.contentHeader(10));
        raw.writeMethod(1, RawAmqp.basicPublish("", "whatever"));
        raw.expectConnectionClose(AMQP.UNEXPECTED_FRAME);
    }

    @Test
    void failedLoginOfACapableClientIsClosedWith403() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOk(RawAmqp.capabilityEntry("authentication_failure_close"), "guest", "wrong-password");
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.ACCESS_REFUSED);
        assertThat(close.replyText()).contains("PLAIN");
    }

    @Test
    void failedLoginOfAClientWithoutTheCapabilityJustDropsTheSocket() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOk(RawAmqp.stringEntry("product", "old client"), "guest", "wrong-password");
        assertThat(raw.awaitEof()).as("socket closed").isTrue();
        assertThat(raw.seen).as("no connection.close for a client that did not ask for it")
                .noneMatch(f -> f.isMethod(10, 50));
    }

    @Test
    void updateSecretIsAnswered() throws Exception {
        // connection.update-secret (10/70): new-secret longstr, reason shortstr; answered with 10/71
        raw = RawAmqp.connect(broker).handshake();
        raw.writeMethod(0, RawAmqp.method(10, 70, e -> e.longstr(utf8("guest")).shortstr("credentials rotated")));
        RawAmqp.Frame ok = raw.expectMethod(10, 71);
        assertThat(ok.channel()).isZero();
        raw.openChannel(1); // and the connection goes on
    }

    @Test
    void reusingAConsumerTagOnTheChannelIs530() throws Exception {
        // (the Java client refuses this itself, so only a raw peer can send it)
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        String q = raw.declareServerNamedQueue(1);
        raw.writeMethod(1, RawAmqp.basicConsume(q, "dup-tag", true));
        raw.expectMethod(60, 21);
        raw.writeMethod(1, RawAmqp.basicConsume(q, "dup-tag", true));
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.NOT_ALLOWED);
        assertThat(close.replyText()).contains("dup-tag");
    }

    // ---------------------------------------------------------------- malformed arguments

    /** An arguments table nested {@code depth} levels deep: {a: {a: {a: ... {}}}}. */
    static byte[] nestedTable(int depth) {
        ByteBuffer b = ByteBuffer.allocate(7 * depth);
        for (int level = 0; level < depth; level++) {
            b.put((byte) 1).put((byte) 'a').put((byte) 'F').putInt(7 * (depth - level - 1));
        }
        return b.array();
    }

    /** An arguments table holding arrays nested {@code depth} levels deep: {a: [[[...[]]]]}. */
    static byte[] nestedArrayArgs(int depth) {
        ByteBuffer b = ByteBuffer.allocate(2 + 5 * depth);
        b.put((byte) 1).put((byte) 'a');
        for (int level = 0; level < depth; level++) {
            b.put((byte) 'A').putInt(5 * (depth - level - 1));
        }
        return b.array();
    }

    @Test
    void deeplyNestedTableIs502NotACrash() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        byte[] args = nestedTable(10_000);
        raw.writeMethod(1, RawAmqp.queueDeclare("nested-q", args));
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.SYNTAX_ERROR, false);
        assertThat(close.replyText()).isNotBlank();
    }

    @Test
    void deeplyNestedArrayIs502NotACrash() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        raw.writeMethod(1, RawAmqp.queueDeclare("nested-q", nestedArrayArgs(10_000)));
        raw.expectConnectionClose(AMQP.SYNTAX_ERROR, false);
    }

    @Test
    void tableLengthBeyondThePayloadIs502() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        // queue.declare whose arguments table claims 1000 bytes but the frame ends after 3
        byte[] m = RawAmqp.method(50, 10, e -> e.shortInt(0).shortstr("q").octet(0).longInt(1000).raw(new byte[3]));
        raw.writeMethod(1, m);
        int code = RawAmqp.Close.parse(readConnectionClose()).replyCode();
        assertThat(code).as("a malformed method frame is a frame or syntax error").isIn(AMQP.FRAME_ERROR, AMQP.SYNTAX_ERROR);
    }

    private RawAmqp.Frame readConnectionClose() throws Exception {
        while (true) {
            RawAmqp.Frame f = raw.readNonHeartbeat();
            if (f.isMethod(10, 50)) {
                return f;
            }
        }
    }

    // ---------------------------------------------------------------- outbound framing, heartbeats

    @Test
    void serverRespectsNegotiatedFrameMaxWhenDelivering() throws Exception {
        raw = RawAmqp.connect(broker).handshake(-1, 4096, 0);
        raw.openChannel(1);
        String q = "raw-framing-" + System.nanoTime();
        raw.writeMethod(1, RawAmqp.queueDeclare(q, new byte[0]));
        raw.expectMethod(50, 11);
        byte[] body = new byte[10_000];
        new java.util.Random(3).nextBytes(body);
        raw.writeMethod(1, RawAmqp.basicPublish("", q));
        raw.writeFrame(HEADER, 1, RawAmqp.contentHeader(body.length));
        for (int off = 0; off < body.length; off += 4088) {
            raw.writeFrame(BODY, 1, Arrays.copyOfRange(body, off, Math.min(body.length, off + 4088)));
        }
        // basic.get until the message is there
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int attempt = 0; attempt < 100 && received.size() == 0; attempt++) {
            raw.writeMethod(1, RawAmqp.basicGet(q, true));
            RawAmqp.Frame reply = raw.readNonHeartbeat();
            if (reply.isMethod(60, 72)) { // get-empty
                continue;
            }
            assertThat(reply.isMethod(60, 71)).as("get-ok, got %s", reply).isTrue();
            RawAmqp.Frame header = raw.readNonHeartbeat();
            assertThat(header.type()).isEqualTo(HEADER);
            long size = ByteBuffer.wrap(header.payload(), 4, 8).getLong();
            assertThat(size).isEqualTo(body.length);
            while (received.size() < size) {
                RawAmqp.Frame b = raw.readNonHeartbeat();
                assertThat(b.type()).isEqualTo(BODY);
                assertThat(b.payload().length + 8).as("body frame size").isLessThanOrEqualTo(4096);
                received.write(b.payload());
            }
        }
        assertThat(received.toByteArray()).isEqualTo(body);
    }

    @Test
    void missedHeartbeatsCloseTheConnection() throws Exception {
        raw = RawAmqp.connect(broker).handshake(-1, -1, 1); // heartbeat every second, then silence
        // the broker sends its own heartbeats, then gives up on us after ~2 missed intervals
        assertThat(raw.awaitEof()).as("broker closed the silent connection within %s", Amqp.TIMEOUT).isTrue();
        assertThat(raw.seen).as("heartbeats sent by the broker before it gave up")
                .anySatisfy(f -> assertThat(f.type()).isEqualTo(HEARTBEAT));
    }

    @Test
    void clientHeartbeatsKeepTheConnectionOpen() throws Exception {
        raw = RawAmqp.connect(broker).handshake(-1, -1, 1);
        raw.openChannel(1);
        // send heartbeats for ~3 heartbeat intervals; the connection must survive
        long until = System.nanoTime() + 3_500_000_000L;
        int received = 0;
        raw.socket.setSoTimeout(500);
        while (System.nanoTime() < until) {
            raw.writeFrame(HEARTBEAT, 0, new byte[0]);
            try {
                RawAmqp.Frame f = raw.readFrame();
                assertThat(f.type()).as("unexpected %s", f).isEqualTo(HEARTBEAT);
                received++;
            } catch (java.net.SocketTimeoutException e) {
                // nothing from the broker in this half second; keep going
            }
        }
        assertThat(received).as("heartbeats from the broker").isPositive();
        raw.socket.setSoTimeout((int) Amqp.TIMEOUT.toMillis());
        raw.writeMethod(1, RawAmqp.queueDeclare("", new byte[0]));
        raw.expectMethod(50, 11);
    }
}
