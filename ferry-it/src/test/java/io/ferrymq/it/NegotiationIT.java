package io.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** connection.tune / tune-ok with a broker whose limits are configured (frame_max, channel_max, heartbeat). */
class NegotiationIT {

    static final int FRAME_MAX = 8192;
    static final int CHANNEL_MAX = 3;
    static final int HEARTBEAT = 13;

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension()
            .withConfig("frame_max", String.valueOf(FRAME_MAX))
            .withConfig("channel_max", String.valueOf(CHANNEL_MAX))
            .withConfig("heartbeat", String.valueOf(HEARTBEAT));

    RawAmqp raw;

    @AfterEach
    void brokerStillServesOthers() throws Exception {
        if (raw != null) {
            raw.close();
        }
        RawSocketIT.assertNormalClientWorks(broker);
    }

    @Test
    void tuneOffersTheConfiguredValues() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOkAndTune();
        assertThat(raw.serverFrameMax).isEqualTo(FRAME_MAX);
        assertThat(raw.serverChannelMax).isEqualTo(CHANNEL_MAX);
        assertThat(raw.serverHeartbeat).isEqualTo(HEARTBEAT);
    }

    @Test
    void clientWithoutPreferenceGetsTheConfiguredValues() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setRequestedFrameMax(0);
        f.setRequestedChannelMax(0);
        f.setRequestedHeartbeat(0);
        try (Connection conn = f.newConnection()) {
            assertThat(conn.getFrameMax()).isEqualTo(FRAME_MAX);
            assertThat(conn.getChannelMax()).isEqualTo(CHANNEL_MAX);
            assertThat(conn.getHeartbeat()).isEqualTo(HEARTBEAT);
            // the channels it may open all work
            for (int i = 1; i <= CHANNEL_MAX; i++) {
                Channel ch = conn.createChannel(i);
                assertThat(ch).as("channel %d", i).isNotNull();
                ch.queueDeclare();
            }
        }
    }

    @Test
    void clientAskingForMoreGetsTheServerMaximum() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setRequestedFrameMax(1_048_576);
        f.setRequestedChannelMax(2000);
        f.setRequestedHeartbeat(60);
        try (Connection conn = f.newConnection()) {
            assertThat(conn.getFrameMax()).isEqualTo(FRAME_MAX);
            assertThat(conn.getChannelMax()).isEqualTo(CHANNEL_MAX);
            assertThat(conn.getHeartbeat()).isEqualTo(HEARTBEAT);
            // a body much larger than the frame size still travels (split into frames of <= 8192)
            try (Channel ch = conn.createChannel()) {
                String q = ch.queueDeclare().getQueue();
                byte[] body = ConnectionIT.randomBytes(100_000, 11);
                ch.confirmSelect();
                ch.basicPublish("", q, null, body);
                ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
                assertThat(ch.basicGet(q, true).getBody()).isEqualTo(body);
            }
        }
    }

    @Test
    void openingMoreChannelsThanChannelMaxIs530() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        for (int ch = 1; ch <= CHANNEL_MAX; ch++) {
            raw.openChannel(ch);
        }
        raw.writeMethod(CHANNEL_MAX + 1, RawAmqp.channelOpen());
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.NOT_ALLOWED);
        assertThat(close.replyText()).contains(String.valueOf(CHANNEL_MAX));
    }

    @Test
    void tuneOkWithFrameMaxAboveTheOfferIs530() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOkAndTune();
        raw.tuneOk(CHANNEL_MAX, FRAME_MAX * 4, 0);
        raw.writeMethod(0, RawAmqp.method(10, 40, e -> e.shortstr("/").shortstr("").octet(0)));
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.NOT_ALLOWED);
        assertThat(close.replyText()).containsAnyOf("frame_max", "frame-max");
    }

    @Test
    void tuneOkWithFrameMaxBelowTheMinimumIs530() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOkAndTune();
        raw.tuneOk(CHANNEL_MAX, 1024, 0);
        raw.writeMethod(0, RawAmqp.method(10, 40, e -> e.shortstr("/").shortstr("").octet(0)));
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.NOT_ALLOWED);
        assertThat(close.replyText()).containsAnyOf("frame_max", "frame-max");
    }

    @Test
    void tuneOkWithChannelMaxAboveTheOfferIs530() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOkAndTune();
        raw.tuneOk(CHANNEL_MAX + 10, FRAME_MAX, 0);
        raw.writeMethod(0, RawAmqp.method(10, 40, e -> e.shortstr("/").shortstr("").octet(0)));
        RawAmqp.Close close = raw.expectConnectionClose(AMQP.NOT_ALLOWED);
        assertThat(close.replyText()).containsAnyOf("channel_max", "channel-max");
    }
}
