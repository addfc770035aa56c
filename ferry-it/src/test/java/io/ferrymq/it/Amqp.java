package io.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shared helpers for the black-box tests: connection factories pointed at the broker under test,
 * unique names, and assertions on channel / connection closes as a RabbitMQ client observes them.
 */
final class Amqp {

    /** How long any single expected event may take before the test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Amqp() {
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A factory with short time-outs and no automatic recovery (so closes stay visible). */
    static ConnectionFactory factory(FerryBrokerExtension broker) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(broker.host());
        f.setPort(broker.amqpPort());
        f.setUsername("guest");
        f.setPassword("guest");
        f.setVirtualHost("/");
        f.setConnectionTimeout(5_000);
        f.setHandshakeTimeout(5_000);
        f.setShutdownTimeout(1_000);
        f.setChannelRpcTimeout((int) TIMEOUT.toMillis());
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        return f;
    }

    static Connection connect(FerryBrokerExtension broker) throws Exception {
        return factory(broker).newConnection("ferry-it");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            if (c instanceof Connection conn) {
                if (conn.isOpen()) {
                    conn.close(2_000);
                }
            } else if (c instanceof Channel ch) {
                if (ch.isOpen()) {
                    ch.close();
                }
            } else {
                c.close();
            }
        } catch (Exception ignored) {
            // best effort
        }
    }

    /** Publishes each body (UTF-8) to the default exchange, routed to {@code queue}. */
    static void publish(Channel ch, String queue, String... bodies) throws Exception {
        for (String b : bodies) {
            ch.basicPublish("", queue, null, utf8(b));
        }
    }

    /**
     * Publishes on a fresh confirm channel and waits for every confirm: once this returns, the
     * broker has routed and enqueued the messages.
     */
    static void publishConfirmed(Connection conn, String exchange, String routingKey, String... bodies)
            throws Exception {
        try (Channel ch = conn.createChannel()) {
            ch.confirmSelect();
            for (String b : bodies) {
                ch.basicPublish(exchange, routingKey, null, utf8(b));
            }
            ch.waitForConfirmsOrDie(TIMEOUT.toMillis());
        }
    }

    /** Takes every ready message from the queue with basic.get (auto-ack), bodies as UTF-8. */
    static List<String> drain(Channel ch, String queue) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            GetResponse r = ch.basicGet(queue, true);
            if (r == null) {
                return out;
            }
            out.add(str(r.getBody()));
        }
        throw new AssertionError("queue " + queue + " never became empty");
    }

    /** Passive declare on a throw-away channel: true if the queue exists, false on 404. */
    static boolean queueExists(Connection conn, String queue) throws Exception {
        return exists(conn, c -> c.queueDeclarePassive(queue));
    }

    static boolean exchangeExists(Connection conn, String exchange) throws Exception {
        return exists(conn, c -> c.exchangeDeclarePassive(exchange));
    }

    private interface ChannelCall {
        void call(Channel c) throws Exception;
    }

    private static boolean exists(Connection conn, ChannelCall passive) throws Exception {
        Channel c = conn.createChannel();
        try {
            passive.call(c);
            return true;
        } catch (Exception e) {
            ShutdownSignalException sse = shutdownSignal(e);
            if (sse != null && sse.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        } finally {
            closeQuietly(c);
        }
    }

    static int messageCount(Channel ch, String queue) throws Exception {
        return ch.queueDeclarePassive(queue).getMessageCount();
    }

    /** Walks the cause chain for the shutdown signal that a failed client call carries. */
    static ShutdownSignalException shutdownSignal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ShutdownSignalException sse) {
                return sse;
            }
        }
        return null;
    }

    /**
     * Runs {@code action} on {@code ch} and expects the broker to close the channel (a soft
     * error) with {@code code}; the connection must stay open. Works for synchronous methods (which
     * throw) and asynchronous ones (publish, ack) alike, by listening for the channel's shutdown.
     */
    static AMQP.Channel.Close expectChannelClose(Channel ch, int code, ThrowingRunnable action) throws Exception {
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        ch.addShutdownListener(closed::complete);
        runExpectingShutdown(action);
        ShutdownSignalException sse = await(closed, "channel " + ch.getChannelNumber() + " to be closed with " + code);
        Method reason = sse.getReason();
        assertThat(sse.isHardError())
                .as("expected a channel close %d but got %s", code, reason)
                .isFalse();
        assertThat(reason).isInstanceOf(AMQP.Channel.Close.class);
        AMQP.Channel.Close close = (AMQP.Channel.Close) reason;
        assertThat(close.getReplyCode()).as("channel.close reply code (text: %s)", close.getReplyText()).isEqualTo(code);
        assertThat(ch.getConnection().isOpen()).as("a soft error must leave the connection open").isTrue();
        return close;
    }

    /** Like {@link #expectChannelClose} but for a hard error: the whole connection closes. */
    static AMQP.Connection.Close expectConnectionClose(Connection conn, int code, ThrowingRunnable action)
            throws Exception {
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        conn.addShutdownListener(closed::complete);
        runExpectingShutdown(action);
        ShutdownSignalException sse = await(closed, "connection to be closed with " + code);
        return assertConnectionClose(sse, code);
    }

    static AMQP.Connection.Close assertConnectionClose(ShutdownSignalException sse, int code) {
        assertThat(sse).as("shutdown signal").isNotNull();
        Method reason = sse.getReason();
        assertThat(sse.isHardError()).as("expected a connection close %d but got %s", code, reason).isTrue();
        assertThat(sse.isInitiatedByApplication()).as("close must come from the broker").isFalse();
        assertThat(reason).isInstanceOf(AMQP.Connection.Close.class);
        AMQP.Connection.Close close = (AMQP.Connection.Close) reason;
        assertThat(close.getReplyCode()).as("connection.close reply code (text: %s)", close.getReplyText()).isEqualTo(code);
        return close;
    }

    /** Asserts the failing method is named in the close (class-id / method-id). */
    static void assertCausedBy(AMQP.Channel.Close close, int classId, int methodId) {
        assertThat(close.getClassId() + "/" + close.getMethodId())
                .as("class/method that caused the close (text: %s)", close.getReplyText())
                .isEqualTo(classId + "/" + methodId);
    }

    static void assertCausedBy(AMQP.Connection.Close close, int classId, int methodId) {
        assertThat(close.getClassId() + "/" + close.getMethodId())
                .as("class/method that caused the close (text: %s)", close.getReplyText())
                .isEqualTo(classId + "/" + methodId);
    }

    private static void runExpectingShutdown(ThrowingRunnable action) throws Exception {
        try {
            action.run();
        } catch (Exception e) {
            if (shutdownSignal(e) == null) {
                throw e;
            }
        }
    }

    static <T> T await(CompletableFuture<T> f, String what) throws Exception {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("timed out after " + TIMEOUT + " waiting for " + what);
        }
    }
}
