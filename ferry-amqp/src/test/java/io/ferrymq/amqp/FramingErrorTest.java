package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.ChannelClose;
import io.ferrymq.amqp.codec.method.ChannelOpen;
import io.ferrymq.amqp.codec.method.ConnectionClose;
import io.ferrymq.amqp.codec.method.ConnectionCloseOk;
import io.ferrymq.amqp.codec.method.ConnectionOpen;
import io.ferrymq.amqp.codec.method.ConnectionOpenOk;
import io.ferrymq.amqp.codec.method.ConnectionStartOk;
import io.ferrymq.amqp.codec.method.ConnectionTune;
import io.ferrymq.amqp.codec.method.ConnectionTuneOk;
import io.ferrymq.amqp.codec.method.QueueDeclare;
import io.ferrymq.core.LocalBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hard errors on malformed or misplaced frames: the connection closes with the right code. */
class FramingErrorTest {
    private final LocalBroker broker = Brokers.local();
    private final TestPeer peer = new TestPeer(broker);

    @AfterEach
    void tearDown() {
        peer.close();
        broker.shutdown();
    }

    @Test
    void frameOnAChannelThatIsNotOpenIsChannelError() {
        peer.open();
        peer.send(3, new QueueDeclare(0, "q", false, false, false, false, false, Map.of()));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(504);
        assertThat(close.replyText()).isEqualTo("CHANNEL_ERROR - expected 'channel.open'");
        assertThat(close.failingClassId()).isEqualTo(50);
        assertThat(close.failingMethodId()).isEqualTo(10);
    }

    @Test
    void secondChannelOpenIsChannelError() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ChannelOpen(""));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(504);
        assertThat(close.replyText()).contains("second 'channel.open'");
    }

    @Test
    void contentHeaderWithoutPublishIsUnexpectedFrame() {
        peer.open();
        peer.openChannel(1);
        peer.sendHeaderFrame(1, 10);

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(505);
    }

    @Test
    void methodInTheMiddleOfContentIsUnexpectedFrame() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicPublish(0, "", "q", false, false));
        peer.sendHeaderFrame(1, 10);
        peer.send(1, new QueueDeclare(0, "q", false, false, false, false, false, Map.of()));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(505);
        assertThat(close.failingClassId()).isEqualTo(60);
        assertThat(close.failingMethodId()).isEqualTo(40);
    }

    @Test
    void bodyLargerThanDeclaredIsFrameError() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicPublish(0, "", "q", false, false));
        peer.sendHeaderFrame(1, 3);
        peer.sendBodyFrame(1, new byte[] {1, 2, 3, 4});

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(501);
    }

    @Test
    void badFrameEndIsFrameError() {
        peer.open();
        // a heartbeat whose end octet is wrong
        peer.sendBytes(new byte[] {8, 0, 0, 0, 0, 0, 0, (byte) 0xCD});

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(501);
        assertThat(close.replyText()).startsWith("FRAME_ERROR - ");
        // the decoder now discards all input, so no close-ok could be read: no wait for one (clock frozen)
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void undecodableArgumentsAreSyntaxErrorAndCloseTheSocketAtOnce() {
        peer.open();
        // queue.declare on channel 1 whose queue name claims 50 octets but has 1
        peer.sendBytes(new byte[] {1, 0, 1, 0, 0, 0, 8, 0, 50, 0, 10, 0, 0, 50, 'q', (byte) 0xCE});

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(502);
        assertThat(close.replyText()).startsWith("SYNTAX_ERROR - ");
        assertThat(close.failingClassId()).isEqualTo(50);
        assertThat(close.failingMethodId()).isEqualTo(10);
        assertThat(peer.isOpen()).isFalse();
        peer.expectNothing();
    }

    @Test
    void frameOverTheNegotiatedFrameMaxIsFrameError() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2047, 4096, 0));
        peer.send(0, new ConnectionOpen("/", "", false));
        peer.expect(ConnectionOpenOk.class);
        peer.openChannel(1);
        peer.send(1, new BasicPublish(0, "", "q", false, false));
        peer.sendHeaderFrame(1, 10_000);
        peer.sendBodyFrame(1, new byte[5000]);

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(501);
    }

    @Test
    void channelMaxIsEnforced() {
        peer.start();
        peer.send(0, new ConnectionStartOk(TestPeer.clientProperties(), "PLAIN",
                TestPeer.plain(TestPeer.USER, TestPeer.PASSWORD), "en_US"));
        peer.expect(ConnectionTune.class);
        peer.send(0, new ConnectionTuneOk(2, 131072, 0));
        peer.send(0, new ConnectionOpen("/", "", false));
        peer.expect(ConnectionOpenOk.class);
        peer.openChannel(1);
        peer.openChannel(2);
        peer.send(3, new ChannelOpen(""));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(530);
        assertThat(close.replyText())
                .isEqualTo("NOT_ALLOWED - number of channels opened (2) has reached the negotiated channel_max (2)");
    }

    @Test
    void afterConnectionCloseOnlyCloseOkCounts() {
        peer.open();
        peer.send(3, new QueueDeclare(0, "q", false, false, false, false, false, Map.of()));
        peer.expect(ConnectionClose.class);

        peer.send(1, new ChannelOpen(""));
        peer.send(0, new io.ferrymq.amqp.codec.method.ConnectionUpdateSecret(
                io.ferrymq.common.message.LongString.of("x"), "y"));
        peer.expectNothing();
        assertThat(peer.isOpen()).isTrue();

        peer.send(0, new ConnectionCloseOk());
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void closeOkNeverComingClosesTheSocketAfterATimeout() {
        peer.open();
        peer.send(3, new QueueDeclare(0, "q", false, false, false, false, false, Map.of()));
        peer.expect(ConnectionClose.class);

        peer.advance(AmqpConnection.CLOSE_OK_TIMEOUT_MILLIS + 1, java.util.concurrent.TimeUnit.MILLISECONDS);

        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void immediatePublishIsNotImplemented() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicPublish(0, "", "q", false, true));

        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(540);
        assertThat(close.replyText()).isEqualTo("NOT_IMPLEMENTED - immediate=true");
    }

    @Test
    void channelMethodOnChannelZeroIsChannelError() {
        peer.open();
        peer.send(0, new ChannelOpen(""));

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(504);
    }

    @Test
    void softErrorDoesNotCloseTheConnection() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new QueueDeclare(0, "missing", true, false, false, false, false, Map.of()));

        ChannelClose close = peer.expect(ChannelClose.class);
        assertThat(close.replyCode()).isEqualTo(404);
        assertThat(peer.isOpen()).isTrue();
    }
}
