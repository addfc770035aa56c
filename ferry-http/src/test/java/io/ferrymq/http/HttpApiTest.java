package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrymq.core.BrokerView;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's handler and endpoints over an embedded channel: no sockets. */
class HttpApiTest {
    private final FakeBroker broker = new FakeBroker();
    private final AlarmsHealthCheck alarms = new AlarmsHealthCheck();
    private final EmbeddedChannel channel = new ApiChannel(new HttpApiHandler(new BasicAuthenticator(broker),
            new Router(List.of(
                    new Route(HttpMethod.GET, "/api/overview", new OverviewEndpoint(
                            new NodeInfo("1.2.3", "ferry@box", List.of(new Listener("amqp", 5672))), broker)),
                    new Route(HttpMethod.GET, "/api/health/checks/alarms", alarms))),
            HttpServer.jsonMapper()));
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void overviewDescribesTheNodeItsListenersAndTotals() throws IOException {
        broker.connections = 2;
        broker.exchanges = List.of(new BrokerView.ExchangeSnapshot("/", "", "direct", true, false, false, Map.of()));
        broker.queues = List.of(queue("a", 3, 1, 1), queue("b", 4, 0, 2));

        FullHttpResponse response = send(get("/api/overview?columns=x", "admin", "secret"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(body(response)).isEqualTo(json.readTree("""
                {"product_name": "FerryMQ", "product_version": "1.2.3", "node": "ferry@box",
                 "listeners": [{"protocol": "amqp", "port": 5672}, {"protocol": "http", "port": 15672}],
                 "object_totals": {"connections": 2, "exchanges": 1, "queues": 2, "consumers": 3},
                 "queue_totals": {"messages": 8, "messages_ready": 7, "messages_unacknowledged": 1}}
                """));
        assertThat(broker.lastLoginFromLoopback).isTrue();
    }

    @Test
    void alarmsCheckFollowsTheBrokersAlarm() throws IOException {
        assertThat(body(send(get("/api/health/checks/alarms", "admin", "secret"))))
                .isEqualTo(json.readTree("{\"status\": \"ok\"}"));

        alarms.blocked("memory high watermark reached");
        FullHttpResponse blocked = send(get("/api/health/checks/alarms", "admin", "secret"));
        assertThat(blocked.status().code()).isEqualTo(503);
        assertThat(body(blocked)).isEqualTo(json.readTree(
                "{\"status\": \"failed\", \"reason\": \"memory high watermark reached\"}"));

        alarms.unblocked();
        assertThat(send(get("/api/health/checks/alarms", "admin", "secret")).status().code()).isEqualTo(200);
    }

    @Test
    void wrongCredentialsAre401WithTheBrokersReason() throws IOException {
        FullHttpResponse response = send(get("/api/overview", "admin", "guess"));

        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"FerryMQ\"");
        assertThat(body(response)).isEqualTo(json.readTree(
                "{\"error\": \"not_authorized\", \"reason\": \"user 'admin' or its password is wrong\"}"));
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
        FullHttpResponse response = send(get("/api/queues", "admin", "secret"));

        assertThat(response.status().code()).isEqualTo(404);
        assertThat(body(response).get("error").asText()).isEqualTo("not_found");
    }

    private static BrokerView.QueueSnapshot queue(String name, int ready, int unacked, int consumers) {
        return new BrokerView.QueueSnapshot("/", name, "classic", false, false, false, Map.of(), ready, unacked,
                consumers);
    }

    private FullHttpResponse send(FullHttpRequest request) {
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

    /** An embedded channel with the socket addresses of a loopback connection to port 15672. */
    private static final class ApiChannel extends EmbeddedChannel {
        ApiChannel(HttpApiHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 15672);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 50123);
        }
    }
}
