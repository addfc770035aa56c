package io.ferrymq.it;

import static io.ferrymq.it.Amqp.TIMEOUT;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead-lettering for every reason, with the headers RabbitMQ writes, checked field by field and type by type as
 * the RabbitMQ Java client decodes them.
 */
class DeadLetterIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    Connection conn;
    Channel ch;
    String dlx;
    String dlq;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        ch = conn.createChannel();
        dlx = unique("dlx");
        dlq = unique("dlq");
        ch.exchangeDeclare(dlx, "fanout");
        ch.queueDeclare(dlq, false, false, false, null);
        ch.queueBind(dlq, dlx, "");
    }

    @AfterEach
    void close() {
        Amqp.closeQuietly(conn);
    }

    private String workQueue(Map<String, Object> extra) throws Exception {
        String q = unique("work");
        Map<String, Object> args = new HashMap<>(extra);
        args.put("x-dead-letter-exchange", dlx);
        ch.queueDeclare(q, false, false, false, args);
        return q;
    }

    private GetResponse awaitDeadLetter() {
        AtomicReference<GetResponse> got = new AtomicReference<>();
        await().atMost(TIMEOUT).until(() -> {
            got.set(ch.basicGet(dlq, true));
            return got.get() != null;
        });
        return got.get();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(GetResponse r) {
        return (List<Map<String, Object>>) r.getProps().getHeaders().get("x-death");
    }

    private static String text(Object value) {
        assertThat(value).isInstanceOf(LongString.class);
        return value.toString();
    }

    /** One x-death table with exactly RabbitMQ's fields and types. */
    private static void assertDeath(Map<String, Object> death, String queue, String reason, long count,
                                    String exchange, String routingKey) {
        assertThat(text(death.get("queue"))).isEqualTo(queue);
        assertThat(text(death.get("reason"))).isEqualTo(reason);
        assertThat(death.get("count")).isInstanceOf(Long.class).isEqualTo(count);
        assertThat(text(death.get("exchange"))).isEqualTo(exchange);
        assertThat(death.get("routing-keys")).isInstanceOf(List.class);
        assertThat(((List<?>) death.get("routing-keys"))).singleElement().satisfies(
                key -> assertThat(text(key)).isEqualTo(routingKey));
        assertThat(death.get("time")).isInstanceOf(Date.class);
        assertThat(((Date) death.get("time")).getTime()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(120_000L));
    }

    private static void assertFirstDeath(GetResponse r, String queue, String reason, String exchange) {
        Map<String, Object> headers = r.getProps().getHeaders();
        assertThat(text(headers.get("x-first-death-queue"))).isEqualTo(queue);
        assertThat(text(headers.get("x-first-death-reason"))).isEqualTo(reason);
        assertThat(text(headers.get("x-first-death-exchange"))).isEqualTo(exchange);
    }

    @Test
    void rejectedWithoutRequeueIsDeadLetteredWithReasonRejected() throws Exception {
        String q = workQueue(Map.of());
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("m1")
                .headers(Map.of("app", "kept")).build();
        ch.basicPublish("", q, props, utf8("reject me"));
        ch.basicPublish("", q, props, utf8("nack me"));
        ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
        ch.basicNack(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false, false);

        for (String body : List.of("reject me", "nack me")) {
            GetResponse r = awaitDeadLetter();
            assertThat(Amqp.str(r.getBody())).isEqualTo(body);
            assertThat(r.getEnvelope().getExchange()).isEqualTo(dlx);
            assertThat(r.getEnvelope().getRoutingKey()).isEqualTo(q);
            assertThat(r.getProps().getMessageId()).isEqualTo("m1");
            assertThat(r.getProps().getHeaders().get("app").toString()).isEqualTo("kept");
            assertThat(deaths(r)).singleElement().satisfies(d -> {
                assertDeath(d, q, "rejected", 1, "", q);
                assertThat(d).doesNotContainKey("original-expiration");
            });
            assertFirstDeath(r, q, "rejected", "");
        }
    }

    @Test
    void aQueueTtlDeadLettersWithReasonExpired() throws Exception {
        String q = workQueue(Map.of("x-message-ttl", 50));
        ch.basicPublish("", q, null, utf8("late"));
        GetResponse r = awaitDeadLetter();
        assertThat(deaths(r)).singleElement().satisfies(d -> {
            assertDeath(d, q, "expired", 1, "", q);
            assertThat(d).doesNotContainKey("original-expiration");
        });
        assertFirstDeath(r, q, "expired", "");
    }

    @Test
    void aPerMessageExpirationIsRecordedAsOriginalExpirationAndRemoved() throws Exception {
        String q = workQueue(Map.of());
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("50").build(), utf8("late"));
        GetResponse r = awaitDeadLetter();
        assertThat(r.getProps().getExpiration()).isNull();
        assertThat(text(deaths(r).get(0).get("original-expiration"))).isEqualTo("50");
    }

    @Test
    void dropHeadDeadLettersTheOldestWithReasonMaxlen() throws Exception {
        String q = workQueue(Map.of("x-max-length", 2));
        Amqp.publishConfirmed(conn, "", q, "1", "2", "3");
        GetResponse r = awaitDeadLetter();
        assertThat(Amqp.str(r.getBody())).isEqualTo("1");
        assertDeath(deaths(r).get(0), q, "maxlen", 1, "", q);
        assertThat(Amqp.drain(ch, q)).containsExactly("2", "3");
    }

    @Test
    void rejectPublishDlxNacksAndDeadLettersTheNewMessage() throws Exception {
        String q = workQueue(Map.of("x-max-length", 1, "x-overflow", "reject-publish-dlx"));
        try (Channel confirms = conn.createChannel()) {
            confirms.confirmSelect();
            confirms.basicPublish("", q, null, utf8("in"));
            assertThat(confirms.waitForConfirms(TIMEOUT.toMillis())).isTrue();
            confirms.basicPublish("", q, null, utf8("refused"));
            assertThat(confirms.waitForConfirms(TIMEOUT.toMillis())).as("a nack for the refused message").isFalse();
        }
        GetResponse r = awaitDeadLetter();
        assertThat(Amqp.str(r.getBody())).isEqualTo("refused");
        assertDeath(deaths(r).get(0), q, "maxlen", 1, "", q);
        assertThat(Amqp.drain(ch, q)).containsExactly("in");
    }

    @Test
    void overTheDeliveryLimitAMessageIsDeadLetteredWithReasonDeliveryLimit() throws Exception {
        String q = workQueue(Map.of("x-delivery-limit", 2));
        ch.basicPublish("", q, null, utf8("poison"));
        for (int attempt = 0; attempt < 3; attempt++) {
            GetResponse got = ch.basicGet(q, false);
            assertThat(got).as("delivery %d", attempt + 1).isNotNull();
            Object count = got.getProps().getHeaders() == null ? null
                    : got.getProps().getHeaders().get("x-delivery-count");
            assertThat(count).isEqualTo(attempt == 0 ? null : (long) attempt);
            ch.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
        }
        GetResponse r = awaitDeadLetter();
        assertDeath(deaths(r).get(0), q, "delivery_limit", 1, "", q);
        assertThat(ch.basicGet(q, false)).isNull();
    }

    @Test
    void aDeadLetterRoutingKeyReplacesTheOriginalKey() throws Exception {
        String direct = unique("dlx-direct");
        String parked = unique("parked");
        ch.exchangeDeclare(direct, "direct");
        ch.queueDeclare(parked, false, false, false, null);
        ch.queueBind(parked, direct, "parked");
        String q = unique("work");
        ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", direct,
                "x-dead-letter-routing-key", "parked"));
        ch.basicPublish("", q, null, utf8("m"));
        ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
        await().atMost(TIMEOUT).until(() -> ch.messageCount(parked) == 1);
        GetResponse r = ch.basicGet(parked, true);
        assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("parked");
        assertDeath(deaths(r).get(0), q, "rejected", 1, "", q);
    }

    @Test
    void aRetryLoopCountsDeathsPerQueueAndReasonMostRecentFirst() throws Exception {
        // work --rejected--> wait (TTL) --expired--> work: the classic delayed-retry pattern
        String work = unique("work");
        String wait = unique("wait");
        ch.queueDeclare(work, false, false, false, Map.of("x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", wait));
        ch.queueDeclare(wait, false, false, false, Map.of("x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", work, "x-message-ttl", 20));
        ch.basicPublish("", work, null, utf8("retry me"));
        GetResponse got = null;
        for (int round = 1; round <= 3; round++) {
            AtomicReference<GetResponse> next = new AtomicReference<>();
            await().atMost(TIMEOUT).until(() -> {
                next.set(ch.basicGet(work, false));
                return next.get() != null;
            });
            got = next.get();
            if (round < 3) {
                ch.basicReject(got.getEnvelope().getDeliveryTag(), false);
            }
        }
        List<Map<String, Object>> deaths = deaths(got);
        assertThat(deaths).hasSize(2);
        assertDeath(deaths.get(0), wait, "expired", 2, "", wait);
        assertDeath(deaths.get(1), work, "rejected", 2, "", work);
        assertFirstDeath(got, work, "rejected", "");
        assertThat(text(got.getProps().getHeaders().get("x-last-death-queue"))).isEqualTo(wait);
    }

    @Test
    void anAutomaticCycleDropsTheMessageButARejectionKeepsItGoing() throws Exception {
        // a queue dead-lettering expired messages to itself: RabbitMQ drops them
        String self = unique("self");
        ch.queueDeclare(self, false, false, false, Map.of("x-dead-letter-exchange", "", "x-message-ttl", 20));
        ch.basicPublish("", self, null, utf8("cycle"));
        await().atMost(TIMEOUT).until(() -> ch.messageCount(self) == 0);
        // a rejection breaks the cycle: the message comes back to the same queue
        String loop = unique("loop");
        ch.queueDeclare(loop, false, false, false, Map.of("x-dead-letter-exchange", ""));
        ch.basicPublish("", loop, null, utf8("again"));
        ch.basicReject(ch.basicGet(loop, false).getEnvelope().getDeliveryTag(), false);
        await().atMost(TIMEOUT).until(() -> ch.messageCount(loop) == 1);
        GetResponse r = ch.basicGet(loop, true);
        assertDeath(deaths(r).get(0), loop, "rejected", 1, "", loop);
    }

    @Test
    void aMissingDeadLetterExchangeDropsTheMessage() throws Exception {
        String q = unique("q");
        ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", unique("missing")));
        ch.basicPublish("", q, null, utf8("gone"));
        ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
        assertThat(ch.messageCount(q)).isZero();
    }

    @Test
    void aPersistentMessageDeadLetteredToADurableQueueSurvivesARestart() throws Exception {
        String durableDlx = unique("durable-dlx");
        String durableDlq = unique("durable-dlq");
        String q = unique("durable-work");
        ch.exchangeDeclare(durableDlx, "fanout", true);
        ch.queueDeclare(durableDlq, true, false, false, null);
        ch.queueBind(durableDlq, durableDlx, "");
        ch.queueDeclare(q, true, false, false, Map.of("x-dead-letter-exchange", durableDlx));
        ch.confirmSelect();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), utf8("keep me"));
        ch.waitForConfirmsOrDie(TIMEOUT.toMillis());
        ch.basicReject(ch.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
        // a synchronous reply after the reject makes it durable (G1b)
        await().atMost(TIMEOUT).until(() -> ch.messageCount(durableDlq) == 1);
        Amqp.closeQuietly(conn);

        broker.restart();

        conn = Amqp.connect(broker);
        ch = conn.createChannel();
        assertThat(ch.messageCount(q)).isZero();
        GetResponse r = ch.basicGet(durableDlq, true);
        assertThat(r).isNotNull();
        assertThat(Amqp.str(r.getBody())).isEqualTo("keep me");
        assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
        assertDeath(deaths(r).get(0), q, "rejected", 1, "", q);
    }
}
