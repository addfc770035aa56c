package io.ferrymq.it;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.SaslConfig;
import com.rabbitmq.client.SaslMechanism;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.LongStringHelper;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** connection.* : authentication, vhosts, server properties, tuning, channels, close, framing of big bodies. */
class ConnectionIT {

    static final int MAX_MESSAGE_SIZE = 6_000_000;

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension()
            .withConfig("max_message_size", String.valueOf(MAX_MESSAGE_SIZE));

    private final List<Connection> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Amqp::closeQuietly);
    }

    private Connection open(ConnectionFactory f) throws Exception {
        Connection c = f.newConnection("connection-it");
        opened.add(c);
        return c;
    }

    /** Proves the connection is really usable: a message makes a round trip through a queue. */
    private static void assertRoundTrip(Connection conn) throws Exception {
        try (Channel ch = conn.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            String body = unique("hello");
            ch.basicPublish("", q, null, utf8(body));
            GetResponse r = awaitGet(ch, q);
            assertThat(str(r.getBody())).isEqualTo(body);
        }
    }

    /** basic.get until the message is there (publish is asynchronous). */
    static GetResponse awaitGet(Channel ch, String q) throws Exception {
        AtomicReference<GetResponse> got = new AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> {
            got.set(ch.basicGet(q, true));
            return got.get() != null;
        });
        return got.get();
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void plainIsTheDefaultMechanismAndWorks() throws Exception {
        CompletableFuture<String[]> offered = new CompletableFuture<>();
        ConnectionFactory f = Amqp.factory(broker);
        SaslConfig defaults = f.getSaslConfig();
        f.setSaslConfig(mechs -> {
            offered.complete(mechs);
            return defaults.getSaslMechanism(mechs);
        });
        Connection conn = open(f);
        assertThat(conn.isOpen()).isTrue();
        assertThat(offered.getNow(null)).as("mechanisms offered in connection.start").contains("PLAIN", "AMQPLAIN");
        assertRoundTrip(conn);
    }

    @Test
    void amqplainWorks() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setSaslConfig(new AmqplainConfig());
        Connection conn = open(f);
        assertThat(conn.isOpen()).isTrue();
        assertRoundTrip(conn);
    }

    @Test
    void amqplainWithWrongPasswordIsRefused() {
        ConnectionFactory f = Amqp.factory(broker);
        f.setSaslConfig(new AmqplainConfig());
        f.setPassword("not-the-password");
        assertThatThrownBy(() -> open(f)).isInstanceOf(AuthenticationFailureException.class);
    }

    @Test
    void wrongPasswordGivesAuthenticationFailure() {
        ConnectionFactory f = Amqp.factory(broker);
        f.setPassword("wrong");
        // The Java client advertises authentication_failure_close, so the broker must answer with
        // connection.close 403 (AuthenticationFailureException) rather than just dropping the socket
        // (which the client reports as PossibleAuthenticationFailureException).
        Throwable t = catchThrowable(() -> open(f));
        assertThat(t).isInstanceOf(AuthenticationFailureException.class);
        assertThat(t.getMessage()).contains("ACCESS_REFUSED");
    }

    @Test
    void unknownUserGivesAuthenticationFailure() {
        ConnectionFactory f = Amqp.factory(broker);
        f.setUsername("nobody-" + unique("u"));
        assertThatThrownBy(() -> open(f)).isInstanceOf(AuthenticationFailureException.class);
    }

    @Test
    void unknownVhostIsClosedWith530() {
        ConnectionFactory f = Amqp.factory(broker);
        String vhost = unique("no-such-vhost");
        f.setVirtualHost(vhost);
        Throwable t = catchThrowable(() -> open(f));
        assertThat(t).as("connecting to an unknown vhost must fail").isNotNull();
        ShutdownSignalException sse = Amqp.shutdownSignal(t);
        assertThat(sse).as("failure must carry the broker's connection.close, was %s", t).isNotNull();
        AMQP.Connection.Close close = Amqp.assertConnectionClose(sse, AMQP.NOT_ALLOWED);
        assertThat(close.getReplyText()).contains(vhost);
    }

    @Test
    void brokerStillAcceptsGoodLoginAfterFailures() throws Exception {
        ConnectionFactory bad = Amqp.factory(broker);
        bad.setPassword("wrong");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> open(bad)).isInstanceOf(AuthenticationFailureException.class);
        }
        assertRoundTrip(open(Amqp.factory(broker)));
    }

    // ---------------------------------------------------------------- server properties & tuning

    @Test
    void serverPropertiesAdvertiseProductVersionAndCapabilities() throws Exception {
        Connection conn = open(Amqp.factory(broker));
        Map<String, Object> props = conn.getServerProperties();
        assertThat(props).containsKeys("product", "version", "capabilities");
        assertThat(String.valueOf(props.get("product"))).isNotBlank();
        assertThat(String.valueOf(props.get("version"))).isNotBlank();
        assertThat(props.get("capabilities")).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = (Map<String, Object>) props.get("capabilities");
        for (String cap : List.of("publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                "consumer_cancel_notify", "connection.blocked", "consumer_priorities",
                "authentication_failure_close", "per_consumer_qos", "direct_reply_to")) {
            assertThat(caps.get(cap)).as("capability %s", cap).isEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void defaultsAreRabbitMqs() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setRequestedFrameMax(0);
        f.setRequestedChannelMax(0);
        f.setRequestedHeartbeat(0);
        Connection conn = open(f);
        // 0 = "no preference": the client takes the server's values from connection.tune
        assertThat(conn.getFrameMax()).isEqualTo(131072);
        assertThat(conn.getChannelMax()).isEqualTo(2047);
        assertThat(conn.getHeartbeat()).isEqualTo(60);
    }

    @Test
    void clientMayLowerFrameMaxChannelMaxAndHeartbeat() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setRequestedFrameMax(8192);
        f.setRequestedChannelMax(17);
        f.setRequestedHeartbeat(7);
        Connection conn = open(f);
        assertThat(conn.getFrameMax()).isEqualTo(8192);
        assertThat(conn.getChannelMax()).isEqualTo(17);
        assertThat(conn.getHeartbeat()).isEqualTo(7);
        // a body larger than one frame still travels intact at this frame size
        try (Channel ch = conn.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            byte[] body = randomBytes(50_000, 7);
            ch.basicPublish("", q, null, body);
            assertThat(awaitGet(ch, q).getBody()).isEqualTo(body);
        }
    }

    @Test
    void heartbeatsKeepAnIdleConnectionAlive() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setRequestedHeartbeat(1);
        Connection conn = open(f);
        assertThat(conn.getHeartbeat()).isEqualTo(1);
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        conn.addShutdownListener(closed::complete);
        // idle for several heartbeat intervals: the client would give up on a broker that sends
        // no heartbeats (MissedHeartbeatException), and the broker on a client it thinks silent
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(3500)).atMost(Amqp.TIMEOUT)
                .until(() -> conn.isOpen());
        assertThat(closed).as("connection closed: %s", closed.getNow(null)).isNotDone();
        assertRoundTrip(conn);
    }

    // ---------------------------------------------------------------- channels

    @Test
    void manyChannelsOnOneConnection() throws Exception {
        Connection conn = open(Amqp.factory(broker));
        String q = unique("many-ch");
        List<Channel> channels = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Channel ch = conn.createChannel();
            assertThat(ch).as("channel %d", i).isNotNull();
            channels.add(ch);
            numbers.add(ch.getChannelNumber());
        }
        assertThat(numbers).hasSize(300);
        channels.get(0).queueDeclare(q, false, false, true, null);
        // every channel is independently usable
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).basicPublish("", q, null, utf8("m" + i));
        }
        Channel last = channels.get(channels.size() - 1);
        last.queueDeclarePassive(q); // a synchronous round trip on the last channel
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> Amqp.messageCount(last, q) == 300);
        for (Channel ch : channels) {
            ch.close();
            assertThat(ch.isOpen()).isFalse();
        }
        assertThat(conn.isOpen()).isTrue();
        try (Channel ch = conn.createChannel()) {
            assertThat(ch.queueDelete(q).getMessageCount()).isEqualTo(300);
        }
    }

    @Test
    void closingAChannelLeavesTheConnectionOpen() throws Exception {
        Connection conn = open(Amqp.factory(broker));
        Channel ch = conn.createChannel();
        ch.close();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.getCloseReason().isInitiatedByApplication()).isTrue();
        assertThat(conn.isOpen()).isTrue();
        assertRoundTrip(conn);
    }

    @Test
    void cleanCloseReplySuccess() throws Exception {
        Connection conn = open(Amqp.factory(broker));
        Channel ch = conn.createChannel();
        CompletableFuture<ShutdownSignalException> chClosed = new CompletableFuture<>();
        ch.addShutdownListener(chClosed::complete);
        conn.close();
        assertThat(conn.isOpen()).isFalse();
        ShutdownSignalException reason = conn.getCloseReason();
        assertThat(reason.isInitiatedByApplication()).isTrue();
        assertThat(((AMQP.Connection.Close) reason.getReason()).getReplyCode()).isEqualTo(AMQP.REPLY_SUCCESS);
        assertThat(Amqp.await(chClosed, "channel shutdown")).isNotNull();
        assertThat(ch.isOpen()).isFalse();
        // and the broker goes on serving
        assertRoundTrip(open(Amqp.factory(broker)));
    }

    // ---------------------------------------------------------------- content framing & limits

    @Test
    void fiveMegabyteBodySplitIntoSmallFrames() throws Exception {
        ConnectionFactory small = Amqp.factory(broker);
        small.setRequestedFrameMax(4096);
        Connection pub = open(small);
        assertThat(pub.getFrameMax()).isEqualTo(4096);
        Connection sub = open(Amqp.factory(broker)); // default frame-max: the broker re-frames
        byte[] body = randomBytes(5 * 1024 * 1024, 42);
        String q = unique("big");
        try (Channel pc = pub.createChannel(); Channel sc = sub.createChannel()) {
            pc.queueDeclare(q, false, false, true, null);
            pc.confirmSelect();
            pc.basicPublish("", q, new AMQP.BasicProperties.Builder().messageId("big-1").build(), body);
            pc.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
            GetResponse r = sc.basicGet(q, true);
            assertThat(r).isNotNull();
            assertThat(r.getProps().getMessageId()).isEqualTo("big-1");
            assertThat(r.getBody().length).isEqualTo(body.length);
            assertThat(Arrays.equals(r.getBody(), body)).as("body identical").isTrue();
            // and the other way round: published with big frames, fetched over 4096-byte frames
            sc.basicPublish("", q, null, body);
            GetResponse back = awaitGet(pc, q);
            assertThat(Arrays.equals(back.getBody(), body)).as("body identical over small frames").isTrue();
        }
    }

    @Test
    void messageOverMaxMessageSizeIsRefusedWith406() throws Exception {
        Connection conn = open(Amqp.factory(broker));
        String q = unique("too-big");
        Channel ch = conn.createChannel();
        ch.queueDeclare(q, false, false, false, null);
        try {
            byte[] tooBig = new byte[MAX_MESSAGE_SIZE + 1];
            AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED, () -> {
                ch.basicPublish("", q, null, tooBig);
                ch.queueDeclarePassive(q);
            });
            assertThat(close.getReplyText()).contains(String.valueOf(MAX_MESSAGE_SIZE));
            try (Channel ch2 = conn.createChannel()) {
                assertThat(Amqp.messageCount(ch2, q)).as("the oversize message was not enqueued").isZero();
                // a message at the limit is fine
                ch2.confirmSelect();
                ch2.basicPublish("", q, null, new byte[MAX_MESSAGE_SIZE]);
                ch2.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
                assertThat(Amqp.messageCount(ch2, q)).isEqualTo(1);
            }
        } finally {
            try (Channel c = conn.createChannel()) {
                c.queueDelete(q);
            }
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---------------------------------------------------------------- AMQPLAIN

    /** The Java client has no AMQPLAIN; this one sends the LOGIN/PASSWORD field table. */
    static final class AmqplainConfig implements SaslConfig {
        @Override
        public SaslMechanism getSaslMechanism(String[] serverMechanisms) {
            assertThat(serverMechanisms).as("mechanisms offered by the broker").contains("AMQPLAIN");
            return new SaslMechanism() {
                @Override
                public String getName() {
                    return "AMQPLAIN";
                }

                @Override
                public LongString handleChallenge(LongString challenge, String username, String password) {
                    // the response is the table's entries, without the table's own length prefix
                    try {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        DataOutputStream out = new DataOutputStream(bytes);
                        writeLongStrEntry(out, "LOGIN", username);
                        writeLongStrEntry(out, "PASSWORD", password);
                        return LongStringHelper.asLongString(bytes.toByteArray());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }

        private static void writeLongStrEntry(DataOutputStream out, String key, String value) throws IOException {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.writeByte(k.length);
            out.write(k);
            out.writeByte('S');
            out.writeInt(v.length);
            out.write(v);
        }
    }
}
