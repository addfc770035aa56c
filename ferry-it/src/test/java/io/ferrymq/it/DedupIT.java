package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.ferrymq.core.BrokerView;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

/** Deduplication (G4): x-message-deduplication on queues and exchanges, with the RabbitMQ Java client. */
class DedupIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private static final Map<String, Object> DEDUP = Map.of("x-message-deduplication", true);

    Connection conn;
    Channel ch;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        ch = conn.createChannel();
        ch.confirmSelect();
    }

    @AfterEach
    void close() {
        Amqp.closeQuietly(conn);
    }

    @Test
    void aDuplicateByMessageIdIsConfirmedButNotEnqueuedAgain() throws Exception {
        String q = declare(DEDUP);
        long before = deduplicated();
        publish("", q, "first", withId("order-1"));
        publish("", q, "second", withId("order-1")); // confirmed (waitForConfirmsOrDie passed) ...
        publish("", q, "other", withId("order-2"));
        assertThat(drain(ch, q)).containsExactly("first", "other"); // ... but not enqueued
        // the window does not depend on what is still in the queue
        publish("", q, "third", withId("order-1"));
        assertThat(drain(ch, q)).isEmpty();
        assertThat(deduplicated() - before).isEqualTo(2);
    }

    @Test
    void theDeduplicationHeaderWinsOverTheMessageIdAndAMessageWithoutKeyIsNeverADuplicate() throws Exception {
        String q = declare(DEDUP);
        publish("", q, "a", withHeader("k1", "id-1"));
        publish("", q, "b", withHeader("k2", "id-1")); // same message-id, other header: not a duplicate
        publish("", q, "c", withHeader("k1", "id-2")); // same header: a duplicate
        publish("", q, "d", null);
        publish("", q, "e", null);
        assertThat(drain(ch, q)).containsExactly("a", "b", "d", "e");
    }

    @Test
    void theWindowHoldsAtMostCacheSizeKeys() throws Exception {
        String q = declare(Map.of("x-message-deduplication", true, "x-cache-size", 2));
        publish("", q, "a", withId("a"));
        publish("", q, "b", withId("b"));
        publish("", q, "c", withId("c")); // "a" leaves the window
        publish("", q, "a again", withId("a"));
        publish("", q, "c again", withId("c"));
        assertThat(drain(ch, q)).containsExactly("a", "b", "c", "a again");
    }

    @Test
    void aDuplicateAtADeduplicatingExchangeIsRoutedNowhere() throws Exception {
        String x = unique("dedup-x");
        ch.exchangeDeclare(x, "fanout", false, true, DEDUP);
        String q1 = declare(Map.of());
        String q2 = declare(Map.of());
        ch.queueBind(q1, x, "");
        ch.queueBind(q2, x, "");
        publish(x, "", "one", withId("m-1"));
        publish(x, "", "dup", withId("m-1"));
        assertThat(drain(ch, q1)).containsExactly("one");
        assertThat(drain(ch, q2)).containsExactly("one");
    }

    @Test
    void aDuplicateInATransactionIsCommittedButNotEnqueued() throws Exception {
        String q = declare(DEDUP);
        publish("", q, "first", withId("t-1"));
        Channel tx = conn.createChannel();
        tx.txSelect();
        tx.basicPublish("", q, withId("t-1"), utf8("dup"));
        tx.basicPublish("", q, withId("t-2"), utf8("new"));
        tx.txCommit();
        assertThat(drain(ch, q)).containsExactly("first", "new");
        // a rolled-back publish does not put its key in the window
        tx.basicPublish("", q, withId("t-3"), utf8("rolled back"));
        tx.txRollback();
        publish("", q, "after rollback", withId("t-3"));
        assertThat(drain(ch, q)).containsExactly("after rollback");
    }

    @Test
    void theWindowSurvivesARestart() throws Exception {
        String q = declare(true, DEDUP);
        String x = unique("dedup-x");
        ch.exchangeDeclare(x, "direct", true, false, DEDUP);
        ch.queueBind(q, x, "k");
        publish("", q, "persistent", persistent("p-1"));
        publish("", q, "transient", withId("t-1"));
        publish(x, "k", "via exchange", persistent("x-1"));
        GetResponse consumed = ch.basicGet(q, false);
        ch.basicAck(consumed.getEnvelope().getDeliveryTag(), false);
        ch.queueDeclarePassive(q); // a reply after the ack: the ack is durable (G1b)

        broker.restart();
        conn = Amqp.connect(broker);
        ch = conn.createChannel();
        ch.confirmSelect();
        publish("", q, "dup of consumed", persistent("p-1"));
        publish("", q, "dup of transient", withId("t-1"));
        publish(x, "k", "dup via exchange", persistent("x-1"));
        publish("", q, "new", persistent("p-2"));
        assertThat(drain(ch, q)).containsExactly("via exchange", "new");
    }

    @Test
    void invalidArgumentsAre406NamingTheArgument() throws Exception {
        expect406(c -> c.queueDeclare(unique("bad"), false, false, true,
                Map.of("x-message-deduplication", "yes")), "x-message-deduplication");
        expect406(c -> c.queueDeclare(unique("bad"), false, false, true,
                Map.of("x-message-deduplication", true, "x-cache-size", -1)), "x-cache-size");
        expect406(c -> c.queueDeclare(unique("bad"), false, false, true,
                Map.of("x-message-deduplication", true, "x-cache-ttl", "soon")), "x-cache-ttl");
        expect406(c -> c.exchangeDeclare(unique("bad-x"), "fanout", false, true,
                Map.of("x-message-deduplication", true, "x-cache-size", 0)), "x-cache-size");
    }

    private interface Declare {
        void run(Channel channel) throws Exception;
    }

    private void expect406(Declare declare, String argument) throws Exception {
        Channel channel = conn.createChannel();
        AMQP.Channel.Close close = Amqp.expectChannelClose(channel, AMQP.PRECONDITION_FAILED,
                () -> declare.run(channel));
        assertThat(close.getReplyText()).contains("invalid arg '" + argument + "'");
    }

    private String declare(Map<String, Object> arguments) throws Exception {
        return declare(false, arguments);
    }

    private String declare(boolean durable, Map<String, Object> arguments) throws Exception {
        return ch.queueDeclare(unique("dedup-q"), durable, false, false, arguments).getQueue();
    }

    /** Publishes and waits for the confirm (a duplicate is confirmed too). */
    private void publish(String exchange, String routingKey, String body, AMQP.BasicProperties props)
            throws Exception {
        ch.basicPublish(exchange, routingKey, props, utf8(body));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
    }

    private static AMQP.BasicProperties withId(String messageId) {
        return new AMQP.BasicProperties.Builder().messageId(messageId).build();
    }

    private static AMQP.BasicProperties persistent(String messageId) {
        return new AMQP.BasicProperties.Builder().messageId(messageId).deliveryMode(2).build();
    }

    private static AMQP.BasicProperties withHeader(String key, String messageId) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-deduplication-header", key);
        return new AMQP.BasicProperties.Builder().messageId(messageId).headers(headers).build();
    }

    private static long deduplicated() {
        return ((BrokerView) broker.server().broker()).stats().deduplicated();
    }
}
