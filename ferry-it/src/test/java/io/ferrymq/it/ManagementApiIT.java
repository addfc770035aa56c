package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.ferrymq.it.Amqp.closeQuietly;
import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static io.ferrymq.it.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management API over real HTTP against a real node, checked against what AMQP clients see: every endpoint,
 * RabbitMQ's JSON shapes, and the tag and permission rules.
 */
class ManagementApiIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private final ManagementHttp admin = new ManagementHttp(broker, "guest", "guest");
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        connections.add(Amqp.connect(broker));
    }

    @AfterEach
    void close() {
        connections.forEach(Amqp::closeQuietly);
    }

    // ---- node

    @Test
    void overviewNodesAndWhoami() throws Exception {
        JsonNode overview = admin.get("/api/overview").body();
        assertThat(overview.get("product_name").asText()).isEqualTo("FerryMQ");
        assertThat(overview.at("/object_totals/connections").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(overview.at("/message_stats/publish").isNumber()).isTrue();

        JsonNode nodes = admin.get("/api/nodes").body();
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).get("name").asText()).startsWith("ferrymq@");
        assertThat(nodes.get(0).get("running").asBoolean()).isTrue();
        assertThat(nodes.get(0).get("mem_limit").asLong()).isPositive();
        assertThat(admin.get("/api/nodes/" + enc(nodes.get(0).get("name").asText())).status()).isEqualTo(200);

        assertThat(admin.get("/api/whoami").body().toString())
                .isEqualTo("{\"name\":\"guest\",\"tags\":[\"administrator\"]}");
    }

    @Test
    void badCredentialsAre401WithAChallengeAndUsersWithoutTagsCannotUseTheApi() throws Exception {
        ManagementHttp.Answer wrong = admin.as("guest", "nope").get("/api/overview");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"FerryMQ\"");
        assertThat(wrong.body().get("error").asText()).isEqualTo("not_authorized");

        String app = createUser("");
        ManagementHttp.Answer untagged = admin.as(app, "pw").get("/api/overview");
        assertThat(untagged.status()).isEqualTo(401);
        assertThat(untagged.reason()).isEqualTo("Not management user");
    }

    // ---- vhosts, users, permissions

    @Test
    void vhostsAreCreatedListedAndDeletedByAdministratorsAndTheCreatorMayUseThem() throws Exception {
        String vhost = unique("vh");
        assertThat(admin.put("/api/vhosts/" + enc(vhost), "{\"description\": \"for tests\", \"tags\": \"a,b\"}")
                .status()).isEqualTo(201);
        assertThat(admin.put("/api/vhosts/" + enc(vhost), "{\"description\": \"changed\"}").status())
                .isEqualTo(204);
        JsonNode shown = admin.get("/api/vhosts/" + enc(vhost)).body();
        assertThat(shown.get("description").asText()).isEqualTo("changed");
        assertThat(shown.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(shown.get("messages").asInt()).isZero();
        assertThat(names(admin.get("/api/vhosts").body())).contains("/", vhost);

        ConnectionFactory f = Amqp.factory(broker);
        f.setVirtualHost(vhost);
        try (Connection c = f.newConnection()) {
            c.createChannel().queueDeclare("in-new-vhost", true, false, false, null);
        }
        assertThat(admin.delete("/api/vhosts/" + enc(vhost)).status()).isEqualTo(204);
        assertThat(admin.get("/api/vhosts/" + enc(vhost)).status()).isEqualTo(404);
        assertThat(admin.get("/api/queues/" + enc(vhost)).status()).isEqualTo(404);
    }

    @Test
    void onlyAdministratorsManageUsersVhostsAndPermissions() throws Exception {
        String manager = createUser("management");
        ManagementHttp asManager = admin.as(manager, "pw");
        assertThat(asManager.put("/api/vhosts/x", "{}").status()).isEqualTo(403);
        assertThat(asManager.get("/api/users").status()).isEqualTo(403);
        assertThat(asManager.put("/api/users/mallory", "{\"password\": \"x\", \"tags\": \"administrator\"}")
                .status()).isEqualTo(403);
        assertThat(asManager.get("/api/permissions").status()).isEqualTo(403);
        assertThat(asManager.get("/api/definitions").status()).isEqualTo(403);
        assertThat(asManager.get("/api/nodes").reason()).isEqualTo("user '" + manager
                + "' needs the tag monitoring or administrator for this");
    }

    @Test
    void usersCreatedWithAPasswordOrRabbitMqsHashLogInOverAmqp() throws Exception {
        String alice = unique("alice");
        assertThat(admin.put("/api/users/" + alice, "{\"password\": \"s3cret\", \"tags\": \"monitoring\"}")
                .status()).isEqualTo(201);
        JsonNode shown = admin.get("/api/users/" + alice).body();
        assertThat(shown.get("tags").toString()).isEqualTo("[\"monitoring\"]");
        assertThat(shown.get("hashing_algorithm").asText()).isEqualTo("rabbit_password_hashing_sha256");
        assertThat(names(admin.get("/api/users").body())).contains("guest", alice);

        // RabbitMQ's documented hash of "test12"
        String carol = unique("carol");
        assertThat(admin.put("/api/users/" + carol, "{\"password_hash\": "
                + "\"kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR\", \"tags\": []}").status()).isEqualTo(201);
        assertThat(admin.put("/api/permissions/%2F/" + carol,
                "{\"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}").status()).isEqualTo(201);
        connections.add(connectAs(carol, "test12", "/"));

        assertThat(admin.delete("/api/users/" + carol).status()).isEqualTo(204);
        assertThat(admin.get("/api/users/" + carol).status()).isEqualTo(404);
        assertThat(admin.get("/api/permissions/%2F/" + carol).status()).isEqualTo(404);
    }

    @Test
    void permissionsSetOverHttpApplyToAmqpAndShowInTheListings() throws Exception {
        String bob = createUser("management");
        assertThat(admin.put("/api/permissions/%2F/" + bob,
                "{\"configure\": \"^bob-\", \"write\": \".*\", \"read\": \".*\"}").status()).isEqualTo(201);
        JsonNode permission = admin.get("/api/permissions/%2F/" + bob).body();
        assertThat(permission.toString()).isEqualTo("{\"user\":\"" + bob + "\",\"vhost\":\"/\",\"configure\":"
                + "\"^bob-\",\"write\":\".*\",\"read\":\".*\"}");
        assertThat(admin.get("/api/vhosts/%2F/permissions").body().toString()).contains(bob);
        assertThat(admin.get("/api/users/" + bob + "/permissions").body()).hasSize(1);
        assertThat(admin.put("/api/permissions/%2F/" + bob,
                "{\"configure\": \"(\", \"write\": \"\", \"read\": \"\"}").status()).isEqualTo(400);

        Channel ch = connectAs(bob, "pw", "/").createChannel();
        ch.queueDeclare("bob-ok", false, false, true, null);

        // over HTTP the same checks apply, with RabbitMQ's text
        ManagementHttp asBob = admin.as(bob, "pw");
        ManagementHttp.Answer refused = asBob.put("/api/queues/%2F/not-bobs", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reason()).isEqualTo("access to queue 'not-bobs' in vhost '/' refused for"
                + " user '" + bob + "'");

        assertThat(admin.delete("/api/permissions/%2F/" + bob).status()).isEqualTo(204);
        assertThat(asBob.get("/api/queues/%2F").status()).isEqualTo(403);
    }

    @Test
    void managementUsersSeeOnlyTheirVhostsAndConnections() throws Exception {
        String vhost = unique("hidden");
        admin.put("/api/vhosts/" + enc(vhost), "{}");
        admin.put("/api/queues/" + enc(vhost) + "/secret", "{\"durable\": true}");
        String manager = createUser("management");
        admin.put("/api/permissions/%2F/" + manager, "{\"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}");
        ManagementHttp asManager = admin.as(manager, "pw");

        assertThat(names(asManager.get("/api/vhosts").body())).containsExactly("/");
        assertThat(asManager.get("/api/queues").body().toString()).doesNotContain("secret");
        assertThat(asManager.get("/api/queues/" + enc(vhost)).status()).isEqualTo(403);
        assertThat(asManager.get("/api/connections").body()).isEmpty();

        String watcher = createUser("monitoring");
        assertThat(admin.as(watcher, "pw").get("/api/queues").body().toString()).contains("secret");
        assertThat(admin.as(watcher, "pw").get("/api/connections").body().size()).isGreaterThanOrEqualTo(1);
        admin.delete("/api/vhosts/" + enc(vhost));
    }

    // ---- exchanges, queues, bindings, messages

    @Test
    void exchangesAreDeclaredShownPublishedToAndDeleted() throws Exception {
        String x = unique("x");
        String q = unique("q");
        assertThat(admin.put("/api/exchanges/%2F/" + x, "{\"type\": \"topic\", \"durable\": \"true\","
                + " \"arguments\": {\"alternate-exchange\": \"amq.fanout\"}}").status()).isEqualTo(201);
        JsonNode shown = admin.get("/api/exchanges/%2F/" + x).body();
        assertThat(shown.get("type").asText()).isEqualTo("topic");
        assertThat(shown.get("durable").asBoolean()).isTrue();
        assertThat(shown.at("/arguments/alternate-exchange").asText()).isEqualTo("amq.fanout");
        assertThat(names(admin.get("/api/exchanges/%2F").body())).contains("", "amq.direct", x);
        assertThat(admin.get("/api/exchanges/%2F/amq.default").body().get("name").asText()).isEmpty();
        assertThat(admin.put("/api/exchanges/%2F/" + x, "{\"type\": \"direct\"}").status()).isEqualTo(400);

        Channel ch = connections.get(0).createChannel();
        ch.queueDeclare(q, false, false, true, null);
        ch.queueBind(q, x, "a.*");
        assertThat(admin.post("/api/exchanges/%2F/" + x + "/publish", "{\"routing_key\": \"a.b\", \"payload\":"
                + " \"hi\", \"payload_encoding\": \"string\", \"properties\": {\"message_id\": \"m1\","
                + " \"headers\": {\"h\": 1}, \"delivery_mode\": 2}}").body().toString())
                .isEqualTo("{\"routed\":true}");
        assertThat(admin.post("/api/exchanges/%2F/amq.direct/publish", "{\"routing_key\": \"nowhere\","
                + " \"payload\": \"aGk=\", \"payload_encoding\": \"base64\", \"properties\": {}}").body()
                .get("routed").asBoolean()).isFalse();
        GetResponse got = ch.basicGet(q, true);
        assertThat(str(got.getBody())).isEqualTo("hi");
        assertThat(got.getProps().getMessageId()).isEqualTo("m1");
        assertThat(got.getProps().getHeaders()).containsKey("h");

        assertThat(admin.delete("/api/exchanges/%2F/" + x).status()).isEqualTo(204);
        assertThat(Amqp.exchangeExists(connections.get(0), x)).isFalse();
        assertThat(admin.delete("/api/exchanges/%2F/" + x).status()).isEqualTo(404);
    }

    @Test
    void queuesShowTheirCountsAndMessagesCanBeGotAndPurged() throws Exception {
        String q = unique("q");
        assertThat(admin.put("/api/queues/%2F/" + q, "{\"durable\": true, \"arguments\": {\"x-max-length\": 10}}")
                .status()).isEqualTo(201);
        assertThat(admin.put("/api/queues/%2F/" + q, "{\"durable\": true, \"arguments\": {\"x-max-length\": 10}}")
                .status()).isEqualTo(204);
        Channel ch = connections.get(0).createChannel();
        ch.confirmSelect();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().contentType("text/plain").build(), utf8("one"));
        ch.basicPublish("", q, null, new byte[]{(byte) 0xff, 0});
        ch.basicPublish("", q, null, utf8("three"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        Channel consumer = connections.get(0).createChannel();
        consumer.basicQos(1);
        consumer.basicConsume(q, false, "held", new DefaultConsumer(consumer));

        JsonNode shown = awaitQueue(q, 1);
        assertThat(shown.get("messages").asInt()).isEqualTo(3);
        assertThat(shown.get("messages_ready").asInt()).isEqualTo(2);
        assertThat(shown.get("consumers").asInt()).isEqualTo(1);
        assertThat(shown.at("/arguments/x-max-length").asInt()).isEqualTo(10);

        // requeued: the same messages stay
        JsonNode peeked = admin.post("/api/queues/%2F/" + q + "/get",
                "{\"count\": \"5\", \"ackmode\": \"ack_requeue_true\", \"encoding\": \"auto\"}").body();
        assertThat(peeked).hasSize(2);
        assertThat(peeked.get(0).get("payload_encoding").asText()).isEqualTo("base64");
        assertThat(peeked.get(0).get("payload").asText()).isEqualTo("/wA=");
        assertThat(peeked.get(1).get("payload").asText()).isEqualTo("three");
        assertThat(peeked.get(1).get("payload_bytes").asInt()).isEqualTo(5);
        assertThat(peeked.get(1).get("message_count").asInt()).isZero();
        JsonNode truncated = admin.post("/api/queues/%2F/" + q + "/get",
                "{\"count\": 1, \"ackmode\": \"reject_requeue_true\", \"encoding\": \"base64\", \"truncate\": 1}")
                .body();
        assertThat(truncated.get(0).get("payload").asText()).isEqualTo("/w==");
        assertThat(truncated.get(0).get("redelivered").asBoolean()).isTrue();

        JsonNode taken = admin.post("/api/queues/%2F/" + q + "/get",
                "{\"count\": 1, \"ackmode\": \"ack_requeue_false\", \"encoding\": \"auto\"}").body();
        assertThat(taken).hasSize(1);
        assertThat(awaitQueue(q, 1).get("messages_ready").asInt()).isEqualTo(1);
        assertThat(admin.post("/api/queues/%2F/" + q + "/get", "{\"count\": 1, \"ackmode\": \"keep\"}").status())
                .isEqualTo(400);

        assertThat(admin.delete("/api/queues/%2F/" + q + "/contents").status()).isEqualTo(204);
        assertThat(awaitQueue(q, 1).get("messages_ready").asInt()).isZero();
        assertThat(admin.delete("/api/queues/%2F/" + q + "?if-unused=true").status()).isEqualTo(400);
        consumer.basicCancel("held");
        assertThat(admin.delete("/api/queues/%2F/" + q).status()).isEqualTo(204);
        assertThat(admin.get("/api/queues/%2F/" + q).status()).isEqualTo(404);
    }

    @Test
    void bindingsAreListedCreatedWithALocationAndDeletedByTheirPropertiesKey() throws Exception {
        String q = unique("q");
        String x = unique("x");
        String x2 = unique("x2");
        admin.put("/api/queues/%2F/" + q, "{}");
        admin.put("/api/exchanges/%2F/" + x, "{\"type\": \"direct\"}");
        admin.put("/api/exchanges/%2F/" + x2, "{\"type\": \"fanout\"}");

        ManagementHttp.Answer created = admin.post("/api/bindings/%2F/e/" + x + "/q/" + q,
                "{\"routing_key\": \"k\", \"arguments\": {}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/bindings/%2F/e/" + x + "/q/" + q
                + "/k");
        assertThat(admin.post("/api/bindings/%2F/e/" + x + "/e/" + x2, "{}").status()).isEqualTo(201);

        JsonNode between = admin.get("/api/bindings/%2F/e/" + x + "/q/" + q).body();
        assertThat(between).hasSize(1);
        assertThat(between.get(0).get("properties_key").asText()).isEqualTo("k");
        JsonNode all = admin.get("/api/bindings/%2F").body();
        assertThat(all.toString()).contains("{\"source\":\"\",\"vhost\":\"/\",\"destination\":\"" + q
                + "\",\"destination_type\":\"queue\",\"routing_key\":\"" + q + "\"");
        assertThat(admin.get("/api/queues/%2F/" + q + "/bindings").body()).hasSize(2);
        assertThat(admin.get("/api/exchanges/%2F/" + x + "/bindings/source").body()).hasSize(2);
        assertThat(admin.get("/api/exchanges/%2F/" + x2 + "/bindings/destination").body()).hasSize(1);

        Channel ch = connections.get(0).createChannel();
        ch.basicPublish(x, "k", null, utf8("bound"));
        assertThat(str(awaitGet(ch, q).getBody())).isEqualTo("bound");

        assertThat(admin.delete("/api/bindings/%2F/e/" + x + "/q/" + q + "/k").status()).isEqualTo(204);
        assertThat(admin.delete("/api/bindings/%2F/e/" + x + "/e/" + x2 + "/~").status()).isEqualTo(204);
        assertThat(admin.get("/api/bindings/%2F/e/" + x + "/q/" + q).body()).isEmpty();
        assertThat(admin.delete("/api/bindings/%2F/e/" + x + "/q/" + q + "/k").status()).isEqualTo(404);
    }

    @Test
    void connectionsChannelsAndConsumersDescribeTheAmqpClients() throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        Connection c = f.newConnection("listed-client");
        connections.add(c);
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.basicQos(7);
        ch.basicConsume(q, false, "listed-tag", new DefaultConsumer(ch));

        JsonNode connection = null;
        for (JsonNode each : admin.get("/api/connections").body()) {
            if ("listed-client".equals(each.at("/client_properties/connection_name").asText())) {
                connection = each;
            }
        }
        assertThat(connection).isNotNull();
        assertThat(connection.get("user").asText()).isEqualTo("guest");
        assertThat(connection.get("vhost").asText()).isEqualTo("/");
        assertThat(connection.get("peer_host").asText()).isEqualTo("127.0.0.1");
        assertThat(connection.get("channels").asInt()).isEqualTo(1);
        String name = connection.get("name").asText();
        assertThat(admin.get("/api/connections/" + enc(name)).body().get("name").asText()).isEqualTo(name);

        JsonNode channel = null;
        for (JsonNode each : admin.get("/api/channels").body()) {
            if (each.at("/connection_details/name").asText().equals(name)) {
                channel = each;
            }
        }
        assertThat(channel.get("number").asInt()).isEqualTo(ch.getChannelNumber());
        assertThat(channel.get("consumer_count").asInt()).isEqualTo(1);
        assertThat(channel.get("prefetch_count").asInt()).isEqualTo(7);

        JsonNode consumers = admin.get("/api/consumers/%2F").body();
        JsonNode consumer = null;
        for (JsonNode each : consumers) {
            if (each.get("consumer_tag").asText().equals("listed-tag")) {
                consumer = each;
            }
        }
        assertThat(consumer.at("/queue/name").asText()).isEqualTo(q);
        assertThat(consumer.at("/channel_details/connection_name").asText()).isEqualTo(name);
        assertThat(consumer.get("ack_required").asBoolean()).isTrue();
        assertThat(consumer.get("prefetch_count").asInt()).isEqualTo(7);
        closeQuietly(c);
    }

    @Test
    void closingAConnectionOrDeletingItsVhostClosesTheClientWith320() throws Exception {
        Connection c = Amqp.factory(broker).newConnection("to-close");
        connections.add(c);
        String name = null;
        for (JsonNode each : admin.get("/api/connections").body()) {
            if ("to-close".equals(each.at("/client_properties/connection_name").asText())) {
                name = each.get("name").asText();
            }
        }
        String closing = name;
        AMQP.Connection.Close close = Amqp.expectConnectionClose(c, AMQP.CONNECTION_FORCED, () ->
                assertThat(admin.send("DELETE", "/api/connections/" + enc(closing), null).status()).isEqualTo(204));
        assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - Closed via management plugin");

        String vhost = unique("doomed");
        admin.put("/api/vhosts/" + enc(vhost), "{}");
        ConnectionFactory f = Amqp.factory(broker);
        f.setVirtualHost(vhost);
        Connection inDoomed = f.newConnection();
        connections.add(inDoomed);
        inDoomed.createChannel().queueDeclare("q", true, false, false, null);
        AMQP.Connection.Close gone = Amqp.expectConnectionClose(inDoomed, AMQP.CONNECTION_FORCED, () ->
                assertThat(admin.delete("/api/vhosts/" + enc(vhost)).status()).isEqualTo(204));
        assertThat(gone.getReplyText()).isEqualTo("CONNECTION_FORCED - vhost '" + vhost + "' is deleted");
    }

    // ---- definitions

    @Test
    void definitionsExportAndImportInRabbitMqsFormat() throws Exception {
        String q = unique("def-q");
        String x = unique("def-x");
        admin.put("/api/queues/%2F/" + q, "{\"durable\": true, \"arguments\": {\"x-message-ttl\": 1000}}");
        admin.put("/api/exchanges/%2F/" + x, "{\"type\": \"fanout\", \"durable\": true}");
        admin.post("/api/bindings/%2F/e/" + x + "/q/" + q, "{\"routing_key\": \"r\"}");
        JsonNode exported = admin.get("/api/definitions").body();
        assertThat(exported.get("users").toString()).contains("\"name\":\"guest\"");
        assertThat(exported.get("vhosts").toString()).contains("\"name\":\"/\"");
        assertThat(exported.get("permissions").toString()).contains("\"user\":\"guest\"");
        assertThat(exported.get("queues").toString()).contains(q).contains("x-message-ttl");
        assertThat(exported.get("exchanges").toString()).contains(x).doesNotContain("amq.direct");
        assertThat(exported.get("bindings").toString()).contains("\"routing_key\":\"r\"");
        assertThat(admin.get("/api/definitions/%2F").body().get("queues").toString()).contains(q);

        String vhost = unique("imported");
        String user = unique("imported-user");
        String file = """
                {"rabbit_version": "3.10.8",
                 "users": [{"name": "%2$s", "password_hash": "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR",
                            "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": "management"}],
                 "vhosts": [{"name": "%1$s"}],
                 "permissions": [{"user": "%2$s", "vhost": "%1$s", "configure": ".*", "write": ".*", "read": ".*"}],
                 "queues": [{"name": "orders", "vhost": "%1$s", "durable": true, "auto_delete": false,
                             "arguments": {"x-max-length": 5}}],
                 "exchanges": [{"name": "in", "vhost": "%1$s", "type": "direct", "durable": true,
                                "auto_delete": false, "internal": false, "arguments": {}}],
                 "bindings": [{"source": "in", "vhost": "%1$s", "destination": "orders", "destination_type": "queue",
                               "routing_key": "o", "arguments": {}}]}
                """.formatted(vhost, user);
        assertThat(admin.post("/api/definitions", file).status()).isEqualTo(204);

        try (Connection c = connectAs(user, "test12", vhost)) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            ch.basicPublish("in", "o", null, utf8("imported"));
            ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
            assertThat(ch.queueDeclarePassive("orders").getMessageCount()).isEqualTo(1);
        }
        assertThat(admin.as(user, "test12").get("/api/whoami").body().get("tags").toString())
                .isEqualTo("[\"management\"]");
        assertThat(admin.post("/api/definitions", "{not json").status()).isEqualTo(400);
        admin.delete("/api/vhosts/" + enc(vhost));
    }

    // ---- helpers

    private String createUser(String tags) throws Exception {
        String name = unique("user");
        assertThat(admin.put("/api/users/" + name, "{\"password\": \"pw\", \"tags\": \"" + tags + "\"}").status())
                .isEqualTo(201);
        return name;
    }

    private Connection connectAs(String user, String password, String vhost) throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setUsername(user);
        f.setPassword(password);
        f.setVirtualHost(vhost);
        return f.newConnection();
    }

    /** The queue once its unacknowledged count reached {@code unacked} (deliveries are asynchronous). */
    private JsonNode awaitQueue(String queue, int unacked) {
        return await().atMost(Amqp.TIMEOUT).until(() -> admin.get("/api/queues/%2F/" + queue).body(),
                shown -> shown.get("messages_unacknowledged").asInt() == unacked);
    }

    private static GetResponse awaitGet(Channel ch, String queue) {
        return await().atMost(Amqp.TIMEOUT).until(() -> ch.basicGet(queue, true), java.util.Objects::nonNull);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.get("name").asText()));
        return names;
    }
}
