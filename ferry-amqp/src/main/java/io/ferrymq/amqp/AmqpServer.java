package io.ferrymq.amqp;

import io.ferrymq.core.Broker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The AMQP 0-9-1 listener: accepts TCP connections and runs one {@link AmqpConnection} per socket
 * on Netty event loops (epoll where available, else NIO), over the given {@link Broker}.
 *
 * <p>Thread-safe. {@link #start()} once, then {@link #close()} once; the broker's life is the
 * caller's business (close the server first, then shut the broker down).
 */
public final class AmqpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpServer.class);
    /**
     * Bounds on bytes queued for a socket: above the high mark consumers get no more deliveries, below the low
     * mark they get them again. Kept to a few frame-writer spills (64 KiB each): bytes queued here only wait while
     * the kernel's send buffer keeps the socket busy, so larger marks (formerly 128/512 KiB) add latency whenever a
     * consumer falls behind. See docs/BENCHMARKS.md, "Scenario a latency".
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 128 * 1024);
    private static final String SHUTDOWN_REASON = "broker shutting down";
    private static final long QUIET_PERIOD_MILLIS = 0;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

    private final Broker broker;
    private final AmqpServerConfig config;
    private final Map<String, Object> serverProperties;
    private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel listener;
    private boolean closed;

    public AmqpServer(Broker broker, AmqpServerConfig config) {
        this.broker = broker;
        this.config = config;
        this.serverProperties = ServerProperties.build(config.productVersion(), config.nodeName());
    }

    /**
     * Binds and starts accepting.
     *
     * @return the bound address (with the actual port when the configured one was 0)
     * @throws IllegalStateException when the address cannot be bound, e.g. the port is in use
     */
    public synchronized InetSocketAddress start() {
        if (listener != null || closed) {
            throw new IllegalStateException("the AMQP server can be started only once; it was "
                    + (closed ? "closed" : "started") + " already");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ferry-amqp-accept"), io);
        int ioThreads = config.effectiveIoThreads();
        workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("ferry-amqp-io"), io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accept(channel);
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutDownEventLoops();
            throw bindFailure(bound.cause());
        }
        listener = bound.channel();
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        LOG.info("AMQP 0-9-1 listening on {}:{} ({}, {} I/O thread{})", address.getAddress().getHostAddress(),
                address.getPort(), epoll ? "epoll" : "nio", ioThreads, ioThreads == 1 ? "" : "s");
        return address;
    }

    private void accept(SocketChannel channel) {
        AmqpConnection connection = new AmqpConnection(broker, config, serverProperties);
        channel.pipeline()
                .addLast(ProtocolHeaderHandler.NAME, new ProtocolHeaderHandler(connection, config.frameMax()))
                .addLast("amqp-connection", connection);
        connections.add(connection);
        channel.closeFuture().addListener(closed -> connections.remove(connection));
    }

    private IllegalStateException bindFailure(Throwable cause) {
        String where = config.host() + ":" + config.port();
        boolean inUse = cause instanceof BindException
                || (cause != null && String.valueOf(cause.getMessage()).contains("in use"));
        String text = inUse
                ? "cannot listen for AMQP on " + where + ": address already in use (another broker running?)"
                : "cannot listen for AMQP on " + where + ": " + cause;
        return new IllegalStateException(text, cause);
    }

    /** The number of I/O event loops (threads) serving connections once started; 0 before {@link #start()}. */
    public synchronized int ioThreadCount() {
        return workers instanceof MultiThreadIoEventLoopGroup group ? group.executorCount() : 0;
    }

    /** Connections currently open (including those still in their handshake). */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection with {@code connection.close} 320
     * CONNECTION_FORCED "broker shutting down" (waiting a bounded time for close-ok), then stops
     * the event loops. Idempotent. Blocks (at most a few seconds): not to be called from an
     * event loop.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listener == null) {
            return;
        }
        listener.close().awaitUninterruptibly();
        List<ChannelFuture> closing = new ArrayList<>();
        for (AmqpConnection connection : connections) {
            closing.add(connection.forceClose(SHUTDOWN_REASON));
        }
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(AmqpConnection.CLOSE_OK_TIMEOUT_MILLIS + 500);
        for (ChannelFuture future : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !future.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                future.channel().close();
            }
        }
        shutDownEventLoops();
        LOG.info("AMQP listener closed");
    }

    private void shutDownEventLoops() {
        for (EventLoopGroup group : new EventLoopGroup[] {acceptor, workers}) {
            if (group != null) {
                group.shutdownGracefully(QUIET_PERIOD_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS + 1_000);
            }
        }
    }
}
