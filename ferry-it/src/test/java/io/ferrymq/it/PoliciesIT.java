package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.ferrymq.it.Amqp.publish;
import static io.ferrymq.it.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Policies over the management API against a real node: their CRUD in RabbitMQ's shape with the tag and input
 * rules, and their effect on new and existing queues as AMQP clients see it.
 */
class PoliciesIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private final OpsFixture ops = new OpsFixture(broker);
    /** Replaced after a restart: a pooled HTTP connection to the stopped node must not be reused. */
    private ManagementHttp admin = ops.admin;

    @AfterEach
    void close() {
        ops.closeConnections();
    }

    @Test
    void policiesAreCreatedListedChangedAndDeletedInRabbitmqsShape() throws Exception {
        String vhost = ops.vhost();
        String path = "/api/policies/" + enc(vhost) + "/limit";
        assertThat(admin.put(path, "{\"pattern\": \"^lim\\\\.\", \"apply-to\": \"queues\", \"priority\": 1,"
                + " \"definition\": {\"max-length\": 2}}").status()).isEqualTo(201);
        assertThat(admin.put(path, "{\"pattern\": \"^lim\\\\.\", \"apply-to\": \"queues\", \"priority\": 2,"
                + " \"definition\": {\"max-length\": 3, \"trace\": true}}").status()).isEqualTo(204);

        JsonNode one = admin.get(path).body();
        assertThat(one.get("vhost").asText()).isEqualTo(vhost);
        assertThat(one.get("name").asText()).isEqualTo("limit");
        assertThat(one.get("pattern").asText()).isEqualTo("^lim\\.");
        assertThat(one.get("apply-to").asText()).isEqualTo("queues");
        assertThat(one.get("priority").asInt()).isEqualTo(2);
        assertThat(one.at("/definition/max-length").asLong()).isEqualTo(3);
        assertThat(one.at("/definition/trace").asBoolean()).isTrue();
        assertThat(admin.get("/api/policies/" + enc(vhost)).body()).hasSize(1);
        assertThat(admin.get("/api/policies").body().findValuesAsText("name")).contains("limit");

        assertThat(admin.delete(path).status()).isEqualTo(204);
        assertThat(admin.get(path).status()).isEqualTo(404);
        assertThat(admin.delete(path).status()).isEqualTo(404);
    }

    @Test
    void onlyPolicymakersAndAdministratorsMayUsePolicies() throws Exception {
        String vhost = ops.vhost();
        String body = "{\"pattern\": \".*\", \"definition\": {\"message-ttl\": 1000}}";
        String manager = ops.user("management", vhost, ".*", ".*", ".*");
        ManagementHttp.Answer refused = admin.as(manager, "pw").put("/api/policies/" + enc(vhost) + "/p", body);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reason()).contains("policymaker");
        assertThat(admin.as(manager, "pw").get("/api/policies").status()).isEqualTo(403);

        String maker = ops.user("policymaker", vhost, ".*", ".*", ".*");
        assertThat(admin.as(maker, "pw").put("/api/policies/" + enc(vhost) + "/p", body).status()).isEqualTo(201);
        assertThat(admin.as(maker, "pw").get("/api/policies/" + enc(vhost)).body()).hasSize(1);

        String elsewhere = ops.user("policymaker", null, null, null, null);
        assertThat(admin.as(elsewhere, "pw").put("/api/policies/" + enc(vhost) + "/q", body).status())
                .isEqualTo(403);
        assertThat(admin.as(elsewhere, "pw").get("/api/policies").body()).isEmpty();
    }

    @Test
    void badPoliciesAreRefusedWithAReasonNamingTheProblem() throws Exception {
        String vhost = ops.vhost();
        String path = "/api/policies/" + enc(vhost) + "/bad";
        Map<String, String> cases = Map.of(
                "{\"pattern\": \".*\", \"definition\": {\"ha-mode\": \"all\"}}", "'ha-mode'",
                "{\"pattern\": \".*\", \"definition\": {\"message-ttl\": -5}}", "'message-ttl'",
                "{\"pattern\": \".*\", \"definition\": {\"overflow\": \"explode\"}}", "'overflow'",
                "{\"pattern\": \".*\", \"definition\": {\"trace\": \"maybe\"}}", "'trace'",
                "{\"pattern\": \".*\", \"definition\": {\"retry-multiplier\": 0.5}}", "'retry-multiplier'",
                "{\"pattern\": \"(\", \"definition\": {\"max-length\": 1}}", "pattern",
                "{\"definition\": {\"max-length\": 1}}", "'pattern'",
                "{\"pattern\": \".*\", \"apply-to\": \"bindings\", \"definition\": {\"max-length\": 1}}", "apply-to",
                "{\"pattern\": \".*\"}", "'definition'",
                "{\"pattern\": \".*\", \"definition\": {}}", "definition");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ManagementHttp.Answer answer = admin.put(path, c.getKey());
            assertThat(answer.status()).as(c.getKey()).isEqualTo(400);
            assertThat(answer.reason()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(admin.put("/api/policies/nope/p", "{\"pattern\": \".*\", \"definition\": {\"max-length\": 1}}")
                .status()).isEqualTo(404);
        assertThat(admin.get(path).status()).isEqualTo(404);
    }

    @Test
    void aPolicyConfiguresExistingAndNewQueuesUnlessTheirOwnArgumentsSayOtherwiseAndLeavesWhenDeleted()
            throws Exception {
        String vhost = ops.vhost();
        Channel ch = ops.channel(vhost);
        ch.queueDeclare("lim.old", true, false, false, null);
        ch.queueDeclare("other", true, false, false, null);
        publish(ch, "lim.old", "1", "2", "3", "4", "5");
        publish(ch, "other", "1", "2", "3", "4", "5");
        await().until(() -> ch.messageCount("lim.old") == 5);

        assertThat(admin.put("/api/policies/" + enc(vhost) + "/limit", "{\"pattern\": \"^lim\\\\.\","
                + " \"definition\": {\"max-length\": 2}}").status()).isEqualTo(201);
        // an existing queue is trimmed from the head at once; a queue the pattern does not find is left alone
        assertThat(Amqp.drain(ch, "lim.old")).containsExactly("4", "5");
        assertThat(ch.messageCount("other")).isEqualTo(5);
        JsonNode old = admin.get("/api/queues/" + enc(vhost) + "/lim.old").body();
        assertThat(old.get("policy").asText()).isEqualTo("limit");
        assertThat(old.at("/effective_policy_definition/max-length").asLong()).isEqualTo(2);
        assertThat(admin.get("/api/queues/" + enc(vhost) + "/other").body().get("policy").isNull()).isTrue();

        // a queue declared later gets it too; its own x-max-length wins over the policy's
        ch.queueDeclare("lim.new", true, false, false, null);
        ch.queueDeclare("lim.own", true, false, false, Map.of("x-max-length", 4));
        publish(ch, "lim.new", "1", "2", "3");
        publish(ch, "lim.own", "1", "2", "3", "4", "5");
        await().until(() -> ch.messageCount("lim.own") == 4);
        assertThat(ch.messageCount("lim.new")).isEqualTo(2);

        // a higher-priority policy takes over
        assertThat(admin.put("/api/policies/" + enc(vhost) + "/wider", "{\"pattern\": \"^lim\", \"priority\": 5,"
                + " \"definition\": {\"max-length\": 1}}").status()).isEqualTo(201);
        assertThat(admin.get("/api/queues/" + enc(vhost) + "/lim.new").body().get("policy").asText())
                .isEqualTo("wider");
        assertThat(ch.messageCount("lim.new")).isEqualTo(1);

        assertThat(admin.delete("/api/policies/" + enc(vhost) + "/wider").status()).isEqualTo(204);
        assertThat(admin.delete("/api/policies/" + enc(vhost) + "/limit").status()).isEqualTo(204);
        JsonNode freed = admin.get("/api/queues/" + enc(vhost) + "/lim.new").body();
        assertThat(freed.get("policy").isNull()).isTrue();
        assertThat(freed.get("effective_policy_definition").size()).isZero();
        publish(ch, "lim.new", "a", "b", "c");
        await().until(() -> ch.messageCount("lim.new") == 4);
    }

    @Test
    void aPolicysTtlAndDeadLetterExchangeApplyToAnExistingQueue() throws Exception {
        String vhost = ops.vhost();
        Channel ch = ops.channel(vhost);
        ch.queueDeclare("ttl.work", true, false, false, null);
        ch.queueDeclare("ttl.dlq", true, false, false, null);
        assertThat(admin.put("/api/policies/" + enc(vhost) + "/ttl", "{\"pattern\": \"^ttl\\\\.work$\","
                + " \"definition\": {\"message-ttl\": 1, \"dead-letter-exchange\": \"\","
                + " \"dead-letter-routing-key\": \"ttl.dlq\"}}").status()).isEqualTo(201);
        publish(ch, "ttl.work", "late");
        await().until(() -> ch.messageCount("ttl.dlq") == 1);
        assertThat(ch.messageCount("ttl.work")).isZero();
    }

    @Test
    void policiesSurviveARestartAndTravelInDefinitions() throws Exception {
        String vhost = ops.vhost();
        assertThat(admin.put("/api/policies/" + enc(vhost) + "/kept", "{\"pattern\": \"^k\", \"apply-to\":"
                + " \"queues\", \"priority\": 3, \"definition\": {\"max-length\": 7, \"retry-delay\": 100}}")
                .status()).isEqualTo(201);
        try (Connection conn = ops.connect(vhost)) {
            conn.createChannel().queueDeclare("kq", true, false, false, null);
        }
        broker.restart();
        admin = new ManagementHttp(broker, "guest", "guest");

        JsonNode policy = admin.get("/api/policies/" + enc(vhost) + "/kept").body();
        assertThat(policy.at("/definition/max-length").asLong()).isEqualTo(7);
        assertThat(policy.get("priority").asInt()).isEqualTo(3);
        assertThat(admin.get("/api/queues/" + enc(vhost) + "/kq").body().get("policy").asText()).isEqualTo("kept");

        JsonNode exported = admin.get("/api/definitions").body();
        JsonNode mine = null;
        for (JsonNode p : exported.get("policies")) {
            if (p.get("vhost").asText().equals(vhost)) {
                mine = p;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("name").asText()).isEqualTo("kept");
        assertThat(admin.get("/api/definitions/" + enc(vhost)).body().get("policies")).hasSize(1);

        String target = new OpsFixture(broker).vhost();
        assertThat(admin.post("/api/definitions/" + enc(target), "{\"policies\": [{\"name\": \"imported\","
                + " \"pattern\": \"^i\", \"apply-to\": \"queues\", \"priority\": 0, \"definition\":"
                + " {\"max-length\": 1}}], \"queues\": [{\"name\": \"iq\", \"durable\": true, \"auto_delete\": false,"
                + " \"arguments\": {}}]}").status()).isEqualTo(204);
        assertThat(admin.get("/api/queues/" + enc(target) + "/iq").body().get("policy").asText())
                .isEqualTo("imported");
        ManagementHttp.Answer bad = admin.post("/api/definitions/" + enc(target), "{\"policies\": [{\"name\":"
                + " \"x\", \"pattern\": \".*\", \"definition\": {\"ha-mode\": \"all\"}}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.reason()).contains("ha-mode");
    }
}
