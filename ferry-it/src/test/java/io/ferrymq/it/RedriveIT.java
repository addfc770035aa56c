package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ferrymq.it.Amqp.publish;
import static io.ferrymq.it.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DLQ redrive over the management API against a real node: back to the queue of the latest x-death, to a given
 * exchange and routing key, with a filter and a limit, and its permission and input rules.
 */
class RedriveIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private final OpsFixture ops = new OpsFixture(broker);
    private final ManagementHttp admin = ops.admin;

    @AfterEach
    void close() {
        ops.closeConnections();
    }

    private Channel channel(String vhost) throws Exception {
        return ops.channel(vhost);
    }

    /** A work queue whose dead letters go to {@code dlq} through the default exchange. */
    private static void workQueue(Channel ch, String name, String dlq, Map<String, Object> more) throws Exception {
        Map<String, Object> args = new java.util.HashMap<>(more);
        args.put("x-dead-letter-exchange", "");
        args.put("x-dead-letter-routing-key", dlq);
        ch.queueDeclare(name, true, false, false, args);
    }

    /** Takes every message of the queue and rejects it without requeue: each is dead-lettered. */
    private static void rejectAll(Channel ch, String queue) throws Exception {
        GetResponse r;
        while ((r = ch.basicGet(queue, false)) != null) {
            ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
        }
    }

    private JsonNode redrive(String vhost, String dlq, String body, int status) throws Exception {
        ManagementHttp.Answer answer = admin.post("/api/queues/" + enc(vhost) + "/" + enc(dlq) + "/redrive", body);
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
        return answer.body();
    }

    @Test
    void messagesGoBackToTheQueueOfTheirLatestDeathAndTheRestStays() throws Exception {
        String vhost = ops.vhost();
        Channel ch = channel(vhost);
        ch.queueDeclare("dlq", true, false, false, null);
        workQueue(ch, "orders", "dlq", Map.of());
        publish(ch, "orders", "a", "b", "c");
        await().until(() -> ch.messageCount("orders") == 3);
        rejectAll(ch, "orders");
        publish(ch, "dlq", "stray"); // no x-death: it has nowhere to go back to
        await().until(() -> ch.messageCount("dlq") == 4);

        JsonNode result = redrive(vhost, "dlq", "{}", 200);
        assertThat(result.get("moved").asInt()).isEqualTo(3);
        assertThat(result.get("skipped").asInt()).isEqualTo(1);

        List<String> back = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet("orders", true)) != null) {
            back.add(Amqp.str(r.getBody()));
            // the death history stays, so a second death counts on
            assertThat(r.getProps().getHeaders()).containsKey("x-death");
        }
        assertThat(back).containsExactly("a", "b", "c");
        // per-queue counters and rates: three published, three back, six delivered (rejected, then taken)
        JsonNode stats = admin.get("/api/queues/" + enc(vhost) + "/orders").body().get("message_stats");
        assertThat(stats.get("publish").asLong()).isEqualTo(6);
        assertThat(stats.get("deliver_get").asLong()).isEqualTo(6);
        assertThat(stats.get("ack").asLong()).isZero();
        assertThat(stats.at("/publish_details/rate").isNumber()).isTrue();
        assertThat(stats.at("/ack_details/rate").isNumber()).isTrue();
        GetResponse stray = ch.basicGet("dlq", true);
        assertThat(Amqp.str(stray.getBody())).isEqualTo("stray");
        // a skipped message is not counted as delivered again
        assertThat(stray.getEnvelope().isRedeliver()).isFalse();
        assertThat(ch.messageCount("dlq")).isZero();
    }

    @Test
    void messagesGoToAGivenExchangeAndRoutingKey() throws Exception {
        String vhost = ops.vhost();
        Channel ch = channel(vhost);
        ch.queueDeclare("dlq", true, false, false, null);
        ch.queueDeclare("retry-target", true, false, false, null);
        ch.queueBind("retry-target", "amq.direct", "again");
        workQueue(ch, "work", "dlq", Map.of());
        ch.basicPublish("", "work", new AMQP.BasicProperties.Builder().deliveryMode(2).build(), Amqp.utf8("x"));
        await().until(() -> ch.messageCount("work") == 1);
        rejectAll(ch, "work");
        await().until(() -> ch.messageCount("dlq") == 1);

        JsonNode result = redrive(vhost, "dlq", "{\"exchange\": \"amq.direct\", \"routing_key\": \"again\"}", 200);
        assertThat(result.get("moved").asInt()).isEqualTo(1);
        GetResponse moved = ch.basicGet("retry-target", true);
        assertThat(Amqp.str(moved.getBody())).isEqualTo("x");
        assertThat(moved.getEnvelope().getExchange()).isEqualTo("amq.direct");
        assertThat(moved.getEnvelope().getRoutingKey()).isEqualTo("again");
        assertThat(ch.messageCount("dlq")).isZero();

        // nothing bound for that key: nothing moves, nothing is lost
        publish(ch, "work", "y");
        await().until(() -> ch.messageCount("work") == 1);
        rejectAll(ch, "work");
        await().until(() -> ch.messageCount("dlq") == 1);
        JsonNode none = redrive(vhost, "dlq", "{\"exchange\": \"amq.direct\", \"routing_key\": \"nobody\"}", 200);
        assertThat(none.get("moved").asInt()).isZero();
        assertThat(none.get("skipped").asInt()).isEqualTo(1);
        assertThat(ch.messageCount("dlq")).isEqualTo(1);
    }

    @Test
    void aFilterAndALimitChooseWhatMoves() throws Exception {
        String vhost = ops.vhost();
        Channel ch = channel(vhost);
        ch.queueDeclare("dlq", true, false, false, null);
        workQueue(ch, "orders", "dlq", Map.of());
        workQueue(ch, "payments", "dlq", Map.of());
        workQueue(ch, "ttl", "dlq", Map.of("x-message-ttl", 1));
        publish(ch, "orders", "o1", "o2", "o3");
        publish(ch, "payments", "p1");
        await().until(() -> ch.messageCount("orders") == 3 && ch.messageCount("payments") == 1);
        rejectAll(ch, "orders");
        rejectAll(ch, "payments");
        publish(ch, "ttl", "t1");
        await().until(() -> ch.messageCount("dlq") == 5);

        JsonNode onlyOrders = redrive(vhost, "dlq", "{\"limit\": 2, \"filter\": {\"reason\": \"rejected\","
                + " \"queue\": \"orders\"}}", 200);
        assertThat(onlyOrders.get("moved").asInt()).isEqualTo(2);
        assertThat(Amqp.drain(ch, "orders")).containsExactly("o1", "o2");
        assertThat(ch.messageCount("payments")).isZero();

        // (back to the ttl queue it would expire again: to a queue of its own)
        ch.queueDeclare("expired", true, false, false, null);
        ch.queueBind("expired", "amq.direct", "expired");
        JsonNode expired = redrive(vhost, "dlq", "{\"exchange\": \"amq.direct\", \"routing_key\": \"expired\","
                + " \"filter\": {\"reason\": \"expired\"}}", 200);
        assertThat(expired.get("moved").asInt()).isEqualTo(1);
        assertThat(expired.get("skipped").asInt()).isEqualTo(2);
        assertThat(Amqp.drain(ch, "expired")).containsExactly("t1");
        // what stayed keeps its order
        assertThat(Amqp.drain(ch, "dlq")).containsExactly("o3", "p1");
    }

    @Test
    void badRequestsAndMissingPermissionsAreRefused() throws Exception {
        String vhost = ops.vhost();
        Channel ch = channel(vhost);
        ch.queueDeclare("dlq", true, false, false, null);
        String path = "/api/queues/" + enc(vhost) + "/dlq/redrive";
        Map<String, String> bad = Map.of(
                "{\"limit\": 0}", "limit",
                "{\"routing_key\": \"k\"}", "exchange",
                "{\"filter\": {\"reason\": \"tired\"}}", "tired",
                "{\"filter\": {\"color\": \"red\"}}", "color",
                "{\"filter\": 3}", "filter",
                "[1]", "object");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            ManagementHttp.Answer answer = admin.post(path, c.getKey());
            assertThat(answer.status()).as(c.getKey()).isEqualTo(400);
            assertThat(answer.reason()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(admin.post("/api/queues/" + enc(vhost) + "/nope/redrive", "{}").status()).isEqualTo(404);
        assertThat(admin.post(path, "{\"exchange\": \"nope\"}").status()).isEqualTo(404);
        assertThat(admin.post("/api/queues/nope/dlq/redrive", "{}").status()).isEqualTo(404);

        String writer = ops.user("management", vhost, "", ".*", "");
        ManagementHttp.Answer noRead = admin.as(writer, "pw").post(path, "{}");
        assertThat(noRead.status()).isEqualTo(403);
        assertThat(noRead.reason()).contains("queue 'dlq'");
        String reader = ops.user("management", vhost, "", "", ".*");
        ManagementHttp.Answer noWrite = admin.as(reader, "pw").post(path, "{}");
        assertThat(noWrite.status()).isEqualTo(403);
        assertThat(noWrite.reason()).contains("amq.default");
        String both = ops.user("management", vhost, "", ".*", ".*");
        assertThat(admin.as(both, "pw").post(path, "{}").body().get("moved").asInt()).isZero();
        assertThat(admin.as("guest", "nope").post(path, "{}").status()).isEqualTo(401);
    }
}
