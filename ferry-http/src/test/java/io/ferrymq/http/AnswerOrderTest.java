package io.ferrymq.http;

import io.ferrymq.common.Clock;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.LocalBroker;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A pipelining client gets its answers in request order, even when a later answer is ready first. */
class AnswerOrderTest {
    private final LocalBroker broker = new LocalBroker(
            new BrokerConfig("admin", "secret", 1L << 30, BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE), Clock.system());
    private final CompletableFuture<ApiResponse> slow = new CompletableFuture<>();
    private final EmbeddedChannel channel = new LoopbackChannel(new HttpApiHandler(
            new BasicAuthenticator(broker, broker.access().users()),
            new Router(List.of(
                    Route.get("/slow", Route.Access.MANAGEMENT, request -> slow),
                    Route.get("/fast", Route.Access.MANAGEMENT, Endpoint.now(request -> ApiResponse.ok("fast"))))),
            new Router(List.of()), HttpServer.jsonMapper()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        broker.shutdown();
    }

    @Test
    void aSlowAnswerHoldsBackTheFasterOnesAfterIt() {
        channel.writeInbound(get("/slow"));
        channel.writeInbound(get("/fast"));
        assertThat((Object) channel.readOutbound()).isNull();

        slow.complete(ApiResponse.ok("slow"));

        assertThat(body(channel.readOutbound())).isEqualTo("\"slow\"");
        assertThat(body(channel.readOutbound())).isEqualTo("\"fast\"");
    }

    /** An embedded channel with socket addresses, as the handler reads the local port from them. */
    private static final class LoopbackChannel extends EmbeddedChannel {
        LoopbackChannel(HttpApiHandler handler) {
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

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    private static FullHttpRequest get(String uri) {
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic "
                + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8)));
        return request;
    }
}
