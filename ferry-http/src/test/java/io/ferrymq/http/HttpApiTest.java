package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrymq.common.Clock;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;
import io.ferrymq.core.auth.User;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's handler and endpoints over an embedded channel (no sockets), in front of a real {@link LocalBroker}
 * whose state each test builds through the broker's own API.
 */
class HttpApiTest {
    /** Small enough that one test message crosses it; the overview's messages stay far below. */
    private static final int WATERMARK = 100;
    private static final InetSocketAddress LOOPBACK_CLIENT = new InetSocketAddress("127.0.0.1", 50123);

    private final LocalBroker broker = new LocalBroker(
            new BrokerConfig("admin", "secret", WATERMARK, BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE), Clock.system());
    private final AlarmsHealthCheck alarms = new AlarmsHealthCheck();
    private final HttpApiHandler handler = new HttpApiHandler(
            new BasicAuthenticator(broker, broker.access().users()),
            new Router(ManagementApi.routes(broker, broker, broker,
                    new NodeInfo("1.2.3", "ferry@box", List.of(new Listener("amqp", 5672))), alarms,
                    new MessageRates(broker))),
            new Router(List.of(Route.get("/metrics", Route.Access.PUBLIC, new PrometheusMetrics(broker)))),
            HttpServer.jsonMapper());
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final EmbeddedChannel channel = channel(LOOPBACK_CLIENT);
    private final List<BrokerConnection> connections = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    HttpApiTest() {
        broker.addAlarmListener(alarms); // as HttpServer.start() does
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        connections.forEach(BrokerConnection::close);
        broker.removeAlarmListener(alarms);
        broker.shutdown();
    }

    @Test
    void overviewDescribesTheNodeItsListenersAndTotals() throws IOException {
        Session session = connect("c1").openSession();
        connect("c2");
        declareQueue(session, "a");
        declareQueue(session, "b");
        for (int i = 0; i < 4; i++) {
            publish(session, "a", "m" + i);
            publish(session, "b", "m" + i);
        }
        assertThat(join(session.get("a", false)).isEmpty()).isFalse(); // a: 3 ready, 1 unacknowledged
        consume(session, "a");
        consume(session, "b");
        consume(session, "b");

        FullHttpResponse response = send(get("/api/overview?columns=x", "admin", "secret"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        // exchanges: the default one and amq.direct, amq.fanout, amq.topic, amq.headers, amq.match of vhost "/"
        JsonNode overview = body(response);
        assertThat(overview.get("product_name").asText()).isEqualTo("FerryMQ");
        assertThat(overview.get("product_version").asText()).isEqualTo("1.2.3");
        assertThat(overview.get("node").asText()).isEqualTo("ferry@box");
        assertThat(overview.get("listeners")).isEqualTo(json.readTree("""
                [{"protocol": "amqp", "port": 5672, "node": "ferry@box"},
                 {"protocol": "http", "port": 15672, "node": "ferry@box"}]"""));
        assertThat(overview.get("object_totals")).isEqualTo(json.readTree("""
                {"connections": 2, "channels": 1, "exchanges": 6, "queues": 2, "consumers": 3}"""));
        assertThat(overview.get("queue_totals")).isEqualTo(json.readTree("""
                {"messages": 8, "messages_ready": 7, "messages_unacknowledged": 1}"""));
        assertThat(overview.at("/message_stats/publish").asLong()).isEqualTo(8);
        assertThat(overview.at("/message_stats/publish_details/rate").isNumber()).isTrue();
    }

    @Test
    void metricsNeedNoCredentialsAndAreText() {
        FullHttpResponse response = send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/metrics"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(PrometheusMetrics.CONTENT_TYPE);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("ferrymq_connections");
        response.release();
    }

    @Test
    void aUserWithoutAManagementTagIs401AsInRabbitMq() throws IOException {
        broker.access().putUser("app", "pw", Set.of());

        FullHttpResponse response = send(get("/api/overview", "app", "pw"));

        assertThat(response.status().code()).isEqualTo(401);
        assertThat(body(response).get("reason").asText()).isEqualTo("Not management user");
    }

    @Test
    void administratorRoutesAre403ForOtherUsers() throws IOException {
        broker.access().putUser("watcher", "pw", Set.of(User.MONITORING));

        FullHttpResponse users = send(get("/api/users", "watcher", "pw"));

        assertThat(users.status().code()).isEqualTo(403);
        assertThat(body(users)).isEqualTo(json.readTree("""
                {"error": "access_refused", "reason": "user 'watcher' needs the tag administrator for this"}"""));
        assertThat(send(get("/api/nodes", "watcher", "pw")).status().code()).isEqualTo(200);
    }

    @Test
    void alarmsCheckFollowsTheBrokersMemoryAlarm() throws IOException {
        Session session = connect("c1").openSession();
        declareQueue(session, "q");
        assertThat(body(send(get("/api/health/checks/alarms", "admin", "secret"))))
                .isEqualTo(json.readTree("{\"status\": \"ok\"}"));

        publish(session, "q", "x".repeat(WATERMARK + 1));
        assertThat(broker.memoryAlarm()).isTrue();
        FullHttpResponse blocked = send(get("/api/health/checks/alarms", "admin", "secret"));
        assertThat(blocked.status().code()).isEqualTo(503);
        JsonNode health = body(blocked);
        assertThat(health.get("status").asText()).isEqualTo("failed");
        assertThat(health.get("reason").asText()).startsWith("memory high watermark reached");

        assertThat(join(session.purgeQueue("q"))).isEqualTo(1);
        assertThat(broker.memoryAlarm()).isFalse();
        FullHttpResponse cleared = send(get("/api/health/checks/alarms", "admin", "secret"));
        assertThat(cleared.status().code()).isEqualTo(200);
        assertThat(body(cleared)).isEqualTo(json.readTree("{\"status\": \"ok\"}"));
    }

    @Test
    void theLoopbackOnlyGuestMayUseTheApiFromLoopbackOnly() throws IOException {
        broker.access().putUser("guest", "guest", Set.of(User.MANAGEMENT));
        EmbeddedChannel remote = channel(new InetSocketAddress("192.0.2.7", 50123));

        assertThat(send(get("/api/overview", "guest", "guest")).status().code()).isEqualTo(200);
        FullHttpResponse refused = send(remote, get("/api/overview", "guest", "guest"));
        assertThat(refused.status().code()).isEqualTo(401);
        assertThat(body(refused).get("reason").asText()).contains("can only connect via localhost");
    }

    @Test
    void wrongCredentialsAre401WithTheBrokersReason() throws IOException {
        FullHttpResponse response = send(get("/api/overview", "admin", "guess"));

        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"FerryMQ\"");
        assertThat(body(response)).isEqualTo(json.readTree(
                "{\"error\": \"not_authorized\", "
                        + "\"reason\": \"login refused for user 'admin': wrong user name or password\"}"));
    }

    @Test
    void missingOrMalformedCredentialsAre401() {
        FullHttpRequest anonymous = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/overview");
        FullHttpRequest notBase64 = get("/api/overview", "a", "b");
        notBase64.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic !!!");

        assertThat(send(anonymous).status().code()).isEqualTo(401);
        assertThat(send(notBase64).status().code()).isEqualTo(401);
    }

    @Test
    void unknownPathsAre404Json() throws IOException {
        FullHttpResponse response = send(get("/api/nothing", "admin", "secret"));

        assertThat(response.status().code()).isEqualTo(404);
        assertThat(body(response).get("error").asText()).isEqualTo("not_found");
    }

    private BrokerConnection connect(String id) {
        BrokerConnection connection = broker.connect(
                new ConnectionInfo(id, "admin", "127.0.0.1", "AMQP 0-9-1", Map.of()), LocalBroker.DEFAULT_VHOST);
        connections.add(connection);
        return connection;
    }

    private static void declareQueue(Session session, String name) {
        join(session.declareQueue(new QueueDeclaration(name, false, false, false, false, Map.of())));
    }

    private static void publish(Session session, String queue, String body) {
        Message message = new Message("", queue, MessageProperties.EMPTY, body.getBytes(StandardCharsets.UTF_8));
        assertThat(join(session.publish(new PublishRequest(message, false)))).isEqualTo(PublishOutcome.ROUTED);
    }

    /** A manual-ack consumer that never has credit, like one whose socket is not writable: it takes nothing. */
    private static void consume(Session session, String queue) {
        join(session.consume(new ConsumeSpec(queue, "", false, false, false, Map.of()), new DeliverySink() {
            @Override
            public void deliver(Delivery delivery) {
                throw new AssertionError("a consumer without credit was given " + delivery);
            }

            @Override
            public void cancelled(String consumerTag, String reason) {
            }

            @Override
            public boolean hasCredit() {
                return false;
            }
        }));
    }

    /** The in-memory broker completes its stages on the calling thread. */
    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private EmbeddedChannel channel(InetSocketAddress remote) {
        EmbeddedChannel created = new ApiChannel(handler, remote);
        channels.add(created);
        return created;
    }

    private FullHttpResponse send(FullHttpRequest request) {
        return send(channel, request);
    }

    private static FullHttpResponse send(EmbeddedChannel channel, FullHttpRequest request) {
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).isNotNull();
        return response;
    }

    private JsonNode body(FullHttpResponse response) throws IOException {
        try {
            return json.readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    private static FullHttpRequest get(String uri, String user, String password) {
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        String credentials = Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic " + credentials);
        return request;
    }

    /** An embedded channel with the socket addresses of a connection from {@code remote} to port 15672. */
    private static final class ApiChannel extends EmbeddedChannel {
        private final InetSocketAddress remote;

        ApiChannel(HttpApiHandler handler, InetSocketAddress remote) {
            super(handler);
            this.remote = remote;
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 15672);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }
}
