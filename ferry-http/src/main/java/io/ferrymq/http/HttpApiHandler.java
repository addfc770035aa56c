package io.ferrymq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.auth.User;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates each request, sends it through the {@link Router} and writes the answer as JSON once the endpoint's
 * stage completes (on the event loop, or on the broker thread that finished the work: Netty hands the write over).
 * Stateless, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);
    private static final String REALM = "Basic realm=\"FerryMQ\"";
    /** The write of the connection's latest answer; set and read on the connection's event loop only. */
    private static final AttributeKey<CompletableFuture<Void>> LAST_ANSWER = AttributeKey.valueOf("ferry.lastAnswer");

    private final BasicAuthenticator authenticator;
    private final Router router;
    private final Router publicRoutes;
    private final ObjectMapper json;

    /**
     * @param router       routes for authenticated users
     * @param publicRoutes routes answered without credentials (their endpoints see no user)
     */
    HttpApiHandler(BasicAuthenticator authenticator, Router router, Router publicRoutes, ObjectMapper json) {
        this.authenticator = authenticator;
        this.router = router;
        this.publicRoutes = publicRoutes;
        this.json = json;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        String description = request.method() + " " + request.uri();
        CompletionStage<ApiResponse> answer;
        try {
            answer = respond(ctx, request);
        } catch (RuntimeException failure) {
            answer = CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<ApiResponse> settled = answer.handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            ApiResponse error = ErrorResponses.of(failure);
            if (error == null) {
                log.error("{} failed", description, failure);
                error = ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                        "the broker failed to answer " + description + "; its log has the details");
            }
            return error;
        }).toCompletableFuture();
        // a pipelining client gets its answers in request order, even when a later one is ready first
        Attribute<CompletableFuture<Void>> order = ctx.channel().attr(LAST_ANSWER);
        CompletableFuture<Void> previous = order.get() == null ? CompletableFuture.completedFuture(null) : order.get();
        // a failed write (a bug, logged by Netty's future) must not hold back the answers after it
        order.set(previous.handle((done, failure) -> null).thenCombine(settled, (done, response) -> response)
                .thenAccept(response -> write(ctx, response, keepAlive)));
    }

    private CompletionStage<ApiResponse> respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.BAD_REQUEST,
                    "bad_request", "malformed HTTP request: " + request.decoderResult().cause().getMessage()));
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String rawPath = request.uri().split("\\?", 2)[0];
        if (publicRoutes.handles(rawPath)) {
            // Prometheus scrapes without credentials, as from RabbitMQ's /metrics
            return publicRoutes.dispatch(new ApiRequest(request.method(), rawPath, Map.of(), uri.parameters(),
                    Map.of(), new byte[0], null, (InetSocketAddress) ctx.channel().localAddress()));
        }
        User user;
        try {
            user = authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    isLoopback(ctx.channel().remoteAddress()));
        } catch (BrokerException refused) {
            return CompletableFuture.completedFuture(unauthorized(refused.getMessage(), request));
        }
        if (!user.mayManage()) {
            // RabbitMQ's answer to a user without a management tag: it cannot use the API at all
            return CompletableFuture.completedFuture(unauthorized("Not management user", request));
        }
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        Map<String, String> headers = new java.util.HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT),
                h.getValue()));
        var apiRequest = new ApiRequest(request.method(), rawPath, Map.of(), uri.parameters(), headers, body, user,
                (InetSocketAddress) ctx.channel().localAddress());
        return router.dispatch(apiRequest);
    }

    /**
     * 401 with a basic-auth challenge, except for script requests ({@code X-Requested-With: XMLHttpRequest}, as the
     * web console sends): a challenge would make the browser pop up its own login dialog over the console's.
     */
    private static ApiResponse unauthorized(String reason, FullHttpRequest request) {
        ApiResponse refused = ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "not_authorized", reason);
        if ("XMLHttpRequest".equalsIgnoreCase(request.headers().get("X-Requested-With"))) {
            return refused;
        }
        return refused.withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), REALM);
    }

    private void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        byte[] body;
        String contentType = HttpHeaderValues.APPLICATION_JSON.toString();
        if (answer.body() instanceof ApiResponse.Raw raw) {
            body = raw.bytes();
            contentType = raw.contentType();
        } else {
            try {
                body = answer.body() == null ? new byte[0] : json.writeValueAsBytes(answer.body());
            } catch (JsonProcessingException bug) {
                throw new IllegalStateException("cannot write " + answer.body() + " as JSON", bug);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing HTTP connection from {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static boolean isLoopback(Object remoteAddress) {
        return remoteAddress instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }
}
