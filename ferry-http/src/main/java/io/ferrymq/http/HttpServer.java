package io.ferrymq.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerView;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API's listener: management endpoints and health checks as JSON, guarded by basic auth against the
 * broker's users, and the web console's static files at {@code /}. Lifecycle calls come from the thread that owns the node (ferry-server); requests run on this
 * server's own event loop, so a slow API client never delays AMQP traffic.
 */
public final class HttpServer implements AutoCloseable {
    /** Requests carry at most small JSON bodies; the aggregator answers 413 above this. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private final Broker broker;
    private final AlarmsHealthCheck alarms = new AlarmsHealthCheck();
    private final MessageRates rates;
    private final HttpApiHandler handler;
    private EventLoopGroup eventLoop;
    private Channel serverChannel;

    /**
     * @param port   0 picks a free port; {@link #start()} returns the one bound
     * @param broker checks credentials, reports alarms, runs operations as the requesting user
     * @param view   what the endpoints report about queues, exchanges and connections
     * @param admin  users, vhosts and permissions
     */
    public HttpServer(String host, int port, Broker broker, BrokerView view, BrokerAdmin admin, NodeInfo node) {
        this.host = host;
        this.port = port;
        this.broker = broker;
        this.rates = new MessageRates(view);
        var router = new Router(ManagementApi.routes(broker, view, admin, node, alarms, rates));
        var publicRoutes = new ArrayList<Route>();
        publicRoutes.add(Route.get("/metrics", Route.Access.PUBLIC, new PrometheusMetrics(view)));
        // the web console's files: after /metrics, which the router tries first
        publicRoutes.addAll(new ConsoleAssets().routes());
        this.handler = new HttpApiHandler(new BasicAuthenticator(broker, admin.access().users()), router,
                new Router(publicRoutes), jsonMapper());
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws IOException what the bind failed with (for a taken port a {@link java.net.BindException}); nothing
     *                     is left running then
     */
    public InetSocketAddress start() throws IOException {
        eventLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ferry-http"),
                NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(eventLoop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                        }
                    })
                    .bind(host, port).sync().channel();
        } catch (Exception bindFailed) { // sync() rethrows the bind's checked exception without declaring it
            eventLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            eventLoop = null;
            if (bindFailed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw bindFailed instanceof IOException io ? io : new IOException(bindFailed);
        }
        broker.addAlarmListener(alarms);
        eventLoop.scheduleAtFixedRate(rates::sample, MessageRates.INTERVAL_SECONDS, MessageRates.INTERVAL_SECONDS,
                TimeUnit.SECONDS);
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops listening, closes open HTTP connections and stops following alarms. Safe to call more than once. */
    @Override
    public void close() {
        if (eventLoop == null) {
            return;
        }
        broker.removeAlarmListener(alarms);
        serverChannel.close().syncUninterruptibly();
        eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        eventLoop = null;
    }

    /** snake_case names and no null fields, the shape RabbitMQ's API clients expect. */
    static ObjectMapper jsonMapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }
}
