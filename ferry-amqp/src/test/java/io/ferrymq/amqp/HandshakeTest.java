package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FrameEncoder;
import io.ferrymq.amqp.codec.HeartbeatFrame;
import io.ferrymq.amqp.codec.method.ConnectionClose;
import io.ferrymq.amqp.codec.method.ConnectionCloseOk;
import io.ferrymq.amqp.codec.method.ConnectionOpen;
import io.ferrymq.amqp.codec.method.ConnectionOpenOk;
import io.ferrymq.amqp.codec.method.ConnectionStart;
import io.ferrymq.amqp.codec.method.ConnectionStartOk;
import io.ferrymq.amqp.codec.method.ConnectionTune;
import io.ferrymq.amqp.codec.method.ConnectionTuneOk;
import io.ferrymq.amqp.codec.method.ConnectionUpdateSecret;
import io.ferrymq.amqp.codec.method.ConnectionUpdateSecretOk;
import io.ferrymq.common.message.LongString;
import io.ferrymq.core.LocalBroker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTest {
    private final LocalBroker broker = Brokers.local();
    private final TestPeer peer = new TestPeer(broker);

    @AfterEach
    void tearDown() {
        peer.close();
        broker.shutdown();
    }

    @Test
    void startOffersVersion09AndRabbitMqCapabilities() {
        ConnectionStart start = peer.start();

        assertThat(start.versionMajor()).isZero();
        assertThat(start.versionMinor()).isEqualTo(9);
        assertThat(start.mechanisms().toString()).isEqualTo("PLAIN AMQPLAIN");
        assertThat(start.locales().toString()).isEqualTo("en_US");
        Map<String, Object> props = start.serverProperties();
        assertThat(props.get("product").toString()).isEqualTo("FerryMQ");
        assertThat(props.get("platform").toString()).startsWith("Java ");
        assertThat(props).containsKeys("version", "copyright", "information", "cluster_name");
        @SuppressWarnings("unchecked")
        Map<String, Object> capabilities = (Map<String, Object>) props.get("capabilities");
        assertThat(capabilities).containsOnlyKeys("publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                "consumer_cancel_notify", "connection.blocked", "consumer_priorities", "authentication_failure_close",
                "per_consumer_qos", "direct_reply_to");
        assertThat(capabilities.values()).containsOnly(true);
    }

    @Test
    void plainLoginTunesAndOpens() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                LongString.of("ignored-authzid\0" + TestPeer.USER + "\0" + TestPeer.PASSWORD), "en_US"));

        ConnectionTune tune = peer.expect(ConnectionTune.class);
        assertThat(tune.channelMax()).isEqualTo(2047);
        assertThat(tune.frameMax()).isEqualTo(131072);
        assertThat(tune.heartbeat()).isEqualTo(60);

        peer.send(0, new ConnectionTuneOk(100, 65536, 0));
        peer.send(0, new ConnectionOpen("/", "", false));
        peer.expect(ConnectionOpenOk.class);
        assertThat(peer.isOpen()).isTrue();
    }

    @Test
    void amqplainLoginReadsLoginAndPasswordFromTheTableBody() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("LOGIN", LongString.of(TestPeer.USER));
        table.put("PASSWORD", LongString.of(TestPeer.PASSWORD));
        ByteBuf encoded = Unpooled.buffer();
        io.ferrymq.amqp.codec.FieldTableCodec.write(encoded, table);
        encoded.skipBytes(4); // AMQPLAIN sends the entries without the table's length
        byte[] response = new byte[encoded.readableBytes()];
        encoded.readBytes(response);
        encoded.release();

        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "AMQPLAIN", LongString.of(response), "en_US"));

        peer.expect(ConnectionTune.class);
    }

    @Test
    void badLoginWithoutAuthenticationFailureCloseJustClosesTheSocket() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, "wrong"), "en_US"));

        peer.expectNothing();
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void badLoginWithAuthenticationFailureCloseGets403() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties("authentication_failure_close"), "PLAIN",
                TestPeer.plain("nobody", "wrong"), "en_US"));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(403);
        assertThat(close.replyText())
                .startsWith("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN");
        assertThat(close.failingClassId()).isEqualTo(10);
        assertThat(close.failingMethodId()).isEqualTo(11);
        assertThat(peer.isOpen()).isTrue();

        peer.send(0, new ConnectionCloseOk());
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void unknownMechanismIsCommandInvalid() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "EXTERNAL", LongString.of(""), "en_US"));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(503);
        assertThat(close.replyText()).contains("unknown authentication mechanism 'EXTERNAL'");
    }

    @Test
    void wrongProtocolHeaderGetsOurHeaderThenClose() {
        peer.sendBytes("AMQP\u0000\u0000\u0008\u0000".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(peer.rawOutput()).isEqualTo(FrameEncoder.PROTOCOL_HEADER);
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void httpRequestIsRefusedLikeAnyOtherHeader() {
        peer.sendBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(peer.rawOutput()).isEqualTo(FrameEncoder.PROTOCOL_HEADER);
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void headerAndFirstFramesInOneReadAreAllHandled() {
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeBytes(FrameEncoder.PROTOCOL_HEADER);
        FrameEncoder.writeMethod(bytes, 0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.write(bytes);

        peer.expect(ConnectionStart.class);
        peer.expect(ConnectionTune.class);
    }

    @Test
    void unknownVhostIsNotAllowed() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2047, 131072, 0));
        peer.send(0, new ConnectionOpen("nowhere", "", false));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(530);
        assertThat(close.replyText()).startsWith("NOT_ALLOWED - ").contains("nowhere");
        assertThat(close.failingClassId()).isEqualTo(10);
        assertThat(close.failingMethodId()).isEqualTo(40);
    }

    @Test
    void frameMaxBelowTheMinimumIsNotAllowed() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2047, 1024, 0));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(530);
        assertThat(close.replyText()).contains("frame_max = 1024").contains("4096");
    }

    @Test
    void frameMaxAboveTheOfferIsNotAllowed() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2047, 1 << 20, 0));

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(530);
    }

    @Test
    void methodOutOfOrderInTheHandshakeIsChannelError() {
        peer.start();
        peer.send(0, new ConnectionOpen("/", "", false));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(504);
        assertThat(close.replyText()).contains("connection.open").contains("starting");
    }

    @Test
    void channelFrameBeforeOpenIsUnexpected() {
        peer.start();
        peer.send(1, new io.ferrymq.amqp.codec.method.ChannelOpen(""));

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(505);
    }

    @Test
    void handshakeMustCompleteInTime() {
        peer.start();

        peer.advance(10_001, TimeUnit.MILLISECONDS);

        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void openConnectionOutlivesTheHandshakeTimeout() {
        peer.open();

        peer.advance(20, TimeUnit.SECONDS);

        assertThat(peer.isOpen()).isTrue();
    }

    @Test
    void heartbeatsAreSentWhenIdleAndSilenceClosesTheConnection() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2047, 131072, 10));
        peer.send(0, new ConnectionOpen("/", "", false));
        peer.expect(ConnectionOpenOk.class);

        peer.advance(5, TimeUnit.SECONDS);
        peer.advance(5, TimeUnit.SECONDS);
        assertThat(peer.nextFrame()).isInstanceOf(HeartbeatFrame.class);

        // the client stays silent: two intervals are tolerated, more close the socket
        peer.advance(5, TimeUnit.SECONDS);
        peer.advance(5, TimeUnit.SECONDS);
        assertThat(peer.isOpen()).isTrue();
        peer.advance(5, TimeUnit.SECONDS);
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void clientHeartbeatsKeepTheConnectionAlive() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2047, 131072, 10));
        peer.send(0, new ConnectionOpen("/", "", false));
        peer.expect(ConnectionOpenOk.class);

        byte[] heartbeat = {8, 0, 0, 0, 0, 0, 0, (byte) 0xCE};
        for (int i = 0; i < 10; i++) {
            peer.advance(10, TimeUnit.SECONDS);
            peer.sendBytes(heartbeat);
        }
        assertThat(peer.isOpen()).isTrue();
    }

    @Test
    void updateSecretIsAccepted() {
        peer.open();
        peer.send(0, new ConnectionUpdateSecret(LongString.of("new-token"), "refresh"));

        peer.expect(ConnectionUpdateSecretOk.class);
    }

    @Test
    void clientCloseGetsCloseOkAndClosesTheSocket() {
        peer.open();
        peer.send(0, new ConnectionClose(200, "bye", 0, 0));

        peer.expect(ConnectionCloseOk.class);
        assertThat(peer.isOpen()).isFalse();
    }
}
