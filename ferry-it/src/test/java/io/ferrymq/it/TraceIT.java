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
import java.util.concurrent.atomic.AtomicReference;

import static io.ferrymq.it.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Message trace over the management API against a real node: one message followed through publish, retry,
 * dead-lettering, redrive and ack; trace per queue and by policy; trace kept across a restart; nothing recorded
 * when trace is off; and the endpoints' permission and input rules.
 */
class TraceIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private final OpsFixture ops = new OpsFixture(broker);
    /** Replaced after a restart: a pooled HTTP connection to the stopped node must not be reused. */
    private ManagementHttp admin = ops.admin;

    @AfterEach
    void close() {
        ops.closeConnections();
    }

    private void traceVhost(String vhost, boolean enabled) throws Exception {
        assertThat(admin.put("/api/trace/" + enc(vhost), "{\"enabled\": " + enabled + "}").status()).isEqualTo(204);
    }

    private JsonNode trace(String vhost, String query) throws Exception {
        ManagementHttp.Answer answer = admin.get("/api/trace/" + enc(vhost) + "?" + query);
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    private static List<String> events(JsonNode trace) {
        List<String> events = new ArrayList<>();
        trace.forEach(e -> events.add(e.get("event").asText()
                + (e.has("queue") ? "@" + e.get("queue").asText() : "")));
        return events;
    }

    private static void publish(Channel ch, String queue, String messageId, String correlationId) throws Exception {
        ch.confirmSelect();
        ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().messageId(messageId)
                .correlationId(correlationId).contentType("text/plain").deliveryMode(2).build(), Amqp.utf8("hello"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
    }

    /** Waits for a message on the queue, takes it unacknowledged. */
    private static GetResponse take(Channel ch, String queue) {
        AtomicReference<GetResponse> got = new AtomicReference<>();
        await().until(() -> {
            got.set(ch.basicGet(queue, false));
            return got.get() != null;
        });
        return got.get();
    }

    @Test
    void oneMessageIsFollowedThroughPublishRetryDeadLetterRedriveAndAck() throws Exception {
        String vhost = ops.vhost();
        Channel ch = ops.channel(vhost);
        ch.queueDeclare("dlq", true, false, false, null);
        ch.queueDeclare("work", true, false, false, Map.of("x-retry-delay", 50, "x-delivery-limit", 1,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dlq"));
        traceVhost(vhost, true);

        publish(ch, "work", "m-1", "c-1");
        ch.basicNack(take(ch, "work").getEnvelope().getDeliveryTag(), false, true);  // retried after 50 ms
        ch.basicNack(take(ch, "work").getEnvelope().getDeliveryTag(), false, true);  // over the limit: dead-lettered
        await().until(() -> ch.messageCount("dlq") == 1);
        assertThat(admin.post("/api/queues/" + enc(vhost) + "/dlq/redrive", "{}").body().get("moved").asInt())
                .isEqualTo(1);
        ch.basicAck(take(ch, "work").getEnvelope().getDeliveryTag(), false);

        JsonNode trace = trace(vhost, "message_id=m-1");
        assertThat(events(trace)).containsExactly(
                "published", "routed", "enqueued@work",
                "delivered@work", "nacked@work", "retry_scheduled@work",
                "delivered@work", "nacked@work", "dead_lettered@work", "enqueued@dlq",
                "redriven@dlq", "enqueued@work", "delivered@work", "acked@work");
        long seq = 0;
        long time = 0;
        for (JsonNode e : trace) {
            assertThat(e.get("seq").asLong()).isGreaterThan(seq);
            assertThat(e.get("timestamp").asLong()).isGreaterThanOrEqualTo(time);
            assertThat(e.get("message_id").asText()).isEqualTo("m-1");
            assertThat(e.get("correlation_id").asText()).isEqualTo("c-1");
            assertThat(e.get("vhost").asText()).isEqualTo(vhost);
            seq = e.get("seq").asLong();
            time = e.get("timestamp").asLong();
        }
        assertThat(trace.get(0).at("/properties/content_type").asText()).isEqualTo("text/plain");
        assertThat(trace.get(0).get("routing_key").asText()).isEqualTo("work");
        assertThat(trace.get(0).has("connection")).isTrue();
        assertThat(trace.get(1).get("queues").get(0).asText()).isEqualTo("work");
        assertThat(trace.get(3).get("attempt").asInt()).isEqualTo(1);
        assertThat(trace.get(6).get("attempt").asInt()).isEqualTo(2);
        assertThat(trace.get(5).get("retry_at").asLong()).isGreaterThanOrEqualTo(trace.get(5).get("timestamp")
                .asLong());
        assertThat(trace.get(8).get("reason").asText()).isEqualTo("delivery_limit");
        assertThat(trace.get(10).get("routing_key").asText()).isEqualTo("work");
        assertThat(trace.get(12).get("attempt").asInt()).isEqualTo(1);

        // the same by correlation id, and the latest few with a limit
        assertThat(events(trace(vhost, "correlation_id=c-1"))).hasSize(14);
        assertThat(events(trace(vhost, "message_id=m-1&limit=2"))).containsExactly("delivered@work", "acked@work");
        assertThat(trace(vhost, "message_id=unknown")).isEmpty();
    }

    @Test
    void traceOffRecordsNothingAndAQueueOrAPolicyTracesOnlyItsQueues() throws Exception {
        String vhost = ops.vhost();
        Channel ch = ops.channel(vhost);
        ch.queueDeclare("quiet", true, false, false, null);
        ch.queueDeclare("watched", true, false, false, null);
        ch.queueDeclare("pol.q", true, false, false, null);
        publish(ch, "quiet", "off-1", null);
        assertThat(trace(vhost, "message_id=off-1")).isEmpty();
        assertThat(admin.get("/api/trace/" + enc(vhost)).body().toString())
                .isEqualTo("{\"enabled\":false,\"queues\":[]}");

        assertThat(admin.put("/api/trace/" + enc(vhost) + "/queues/watched", "{\"enabled\": true}").status())
                .isEqualTo(204);
        assertThat(admin.put("/api/policies/" + enc(vhost) + "/t", "{\"pattern\": \"^pol\\\\.\","
                + " \"definition\": {\"trace\": true}}").status()).isEqualTo(201);
        assertThat(admin.get("/api/trace/" + enc(vhost)).body().get("queues").toString())
                .isEqualTo("[\"pol.q\",\"watched\"]");
        publish(ch, "quiet", "off-2", null);
        publish(ch, "watched", "on-1", null);
        publish(ch, "pol.q", "on-2", null);
        assertThat(trace(vhost, "message_id=off-2")).isEmpty();
        assertThat(events(trace(vhost, "message_id=on-1"))).containsExactly("published", "routed",
                "enqueued@watched");
        assertThat(events(trace(vhost, "message_id=on-2"))).containsExactly("published", "routed",
                "enqueued@pol.q");

        assertThat(admin.delete("/api/policies/" + enc(vhost) + "/t").status()).isEqualTo(204);
        assertThat(admin.put("/api/trace/" + enc(vhost) + "/queues/watched", "{\"enabled\": false}").status())
                .isEqualTo(204);
        publish(ch, "watched", "off-3", null);
        publish(ch, "pol.q", "off-4", null);
        assertThat(trace(vhost, "message_id=off-3")).isEmpty();
        assertThat(trace(vhost, "message_id=off-4")).isEmpty();
    }

    @Test
    void theTraceAndItsSettingsSurviveARestart() throws Exception {
        String vhost = ops.vhost();
        Channel ch = ops.channel(vhost);
        ch.queueDeclare("kept", true, false, false, null);
        traceVhost(vhost, true);
        publish(ch, "kept", "r-1", null);
        List<String> before = events(trace(vhost, "message_id=r-1"));
        assertThat(before).containsExactly("published", "routed", "enqueued@kept");

        broker.restart();
        admin = new ManagementHttp(broker, "guest", "guest");

        assertThat(events(trace(vhost, "message_id=r-1"))).isEqualTo(before);
        assertThat(admin.get("/api/trace/" + enc(vhost)).body().get("enabled").asBoolean()).isTrue();
        Channel again = ops.channel(vhost);
        again.basicAck(take(again, "kept").getEnvelope().getDeliveryTag(), false);
        assertThat(events(trace(vhost, "message_id=r-1"))).containsExactly("published", "routed", "enqueued@kept",
                "delivered@kept", "acked@kept");
        traceVhost(vhost, false);
    }

    @Test
    void badQueriesAndUsersWithoutTheRightTagsAreRefused() throws Exception {
        String vhost = ops.vhost();
        String base = "/api/trace/" + enc(vhost);
        assertThat(admin.get(base + "?message_id=a&correlation_id=b").status()).isEqualTo(400);
        ManagementHttp.Answer badLimit = admin.get(base + "?message_id=a&limit=lots");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.reason()).contains("limit");
        assertThat(admin.get(base + "?message_id=a&limit=0").status()).isEqualTo(400);
        ManagementHttp.Answer noEnabled = admin.put(base, "{}");
        assertThat(noEnabled.status()).isEqualTo(400);
        assertThat(noEnabled.reason()).contains("enabled");
        assertThat(admin.put(base, "{\"enabled\": \"perhaps\"}").status()).isEqualTo(400);
        assertThat(admin.put(base + "/queues/nope", "{\"enabled\": true}").status()).isEqualTo(404);
        assertThat(admin.get("/api/trace/nope?message_id=a").status()).isEqualTo(404);

        String manager = ops.user("management", vhost, ".*", ".*", ".*");
        assertThat(admin.as(manager, "pw").get(base + "?message_id=a").status()).isEqualTo(200);
        assertThat(admin.as(manager, "pw").put(base, "{\"enabled\": true}").status()).isEqualTo(403);
        String outsider = ops.user("management", null, null, null, null);
        assertThat(admin.as(outsider, "pw").get(base + "?message_id=a").status()).isEqualTo(403);
        String maker = ops.user("policymaker", vhost, ".*", ".*", ".*");
        assertThat(admin.as(maker, "pw").put(base, "{\"enabled\": false}").status()).isEqualTo(204);
        assertThat(admin.as("guest", "wrong").get(base).status()).isEqualTo(401);
    }
}
