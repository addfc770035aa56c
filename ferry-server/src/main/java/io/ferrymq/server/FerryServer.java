package io.ferrymq.server;

import io.ferrymq.amqp.AmqpServer;
import io.ferrymq.amqp.AmqpServerConfig;
import io.ferrymq.common.Clock;
import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.alarm.DiskMonitor;
import io.ferrymq.core.alarm.FreeSpace;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.StoreException;
import io.ferrymq.store.UnsupportedFormatException;
import io.ferrymq.http.HttpServer;
import io.ferrymq.http.Listener;
import io.ferrymq.http.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running FerryMQ node: the composition root that wires the data directory, the broker core, the AMQP listener
 * and the HTTP API by constructor, starts them in that order and stops them in reverse. {@code ferry server} runs
 * one; the testkit runs them in-process. Thread-safe: {@link #close()} may come from a shutdown hook.
 */
public final class FerryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FerryServer.class);
    /** Message trace's directory inside the data directory. */
    private static final String TRACE_DIR = "trace";
    /** The message store's directory inside the data directory. */
    static final String STORE_DIR = "store";
    /** How often free disk space is read: a cheap system call, and a disk rarely fills faster than this. */
    private static final Duration DISK_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final String nodeName;
    private final LocalBroker broker;
    private final DiskMonitor disk;
    private final InetSocketAddress amqpAddress;
    private final InetSocketAddress httpAddress;
    /** What {@link #close()} stops, the last started first. */
    private final Deque<AutoCloseable> stopOrder;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FerryServer(ServerConfig config, String nodeName, LocalBroker broker, DiskMonitor disk,
                        InetSocketAddress amqpAddress, InetSocketAddress httpAddress, Deque<AutoCloseable> stopOrder) {
        this.config = config;
        this.nodeName = nodeName;
        this.broker = broker;
        this.disk = disk;
        this.amqpAddress = amqpAddress;
        this.httpAddress = httpAddress;
        this.stopOrder = stopOrder;
    }

    /**
     * Starts a node and returns once both listeners accept connections.
     *
     * @throws StartupException when the data directory is unusable or locked, or a port cannot be bound; whatever
     *                          had started is stopped again first
     */
    public static FerryServer start(ServerConfig config) {
        var started = new ArrayDeque<AutoCloseable>();
        try {
            DataDirectory dataDirectory = DataDirectory.lock(config.dataDir());
            started.push(dataDirectory);
            log.info("data directory {}", dataDirectory.path());

            Path storeDir = dataDirectory.path().resolve(STORE_DIR);
            JournalPersistence store = openStore(storeDir);
            // closed after the broker stopped: waits for what was submitted, then writes the clean-shutdown marker
            started.push(store);

            var broker = openBroker(config, store, storeDir);
            started.push(broker::shutdown);
            // message trace keeps its events next to the store; closed (flushed) before the broker stops
            broker.tracer().open(dataDirectory.path().resolve(TRACE_DIR), config.traceMaxEvents(),
                    config.traceMaxAgeMillis());
            started.push(broker.tracer()::close);

            // read once before any client connects, so a node started on a full disk never takes a publish
            var disk = new DiskMonitor(FreeSpace.of(dataDirectory.path()), config.diskFreeLimitBytes(),
                    broker.alarms());
            disk.check();
            disk.start(DISK_CHECK_INTERVAL);
            started.push(disk);

            // worked out once, so that AMQP clients (cluster_name) and the HTTP API (node) see the same name
            String nodeName = HostNames.nodeName();
            var amqp = new AmqpServer(broker, amqpConfig(config, nodeName));
            InetSocketAddress amqpAddress = listen(config.amqpHost(), config.amqpPort(), amqp::start);
            started.push(amqp);

            var node = new NodeInfo(FerryVersion.current(), nodeName,
                    List.of(new Listener("amqp", amqpAddress.getPort())));
            var http = new HttpServer(config.httpHost(), config.httpPort(), broker, broker, broker, node);
            InetSocketAddress httpAddress = listen(config.httpHost(), config.httpPort(), http::start);
            started.push(http);
            log.info("HTTP API on http://{}:{}/api/", HostNames.forUrl(config.httpHost()), httpAddress.getPort());

            return new FerryServer(config, nodeName, broker, disk, amqpAddress, httpAddress, started);
        } catch (RuntimeException failure) {
            stopAll(started, failure);
            throw failure;
        }
    }

    public int amqpPort() {
        return amqpAddress.getPort();
    }

    public int httpPort() {
        return httpAddress.getPort();
    }

    public Broker broker() {
        return broker;
    }

    /** The disk alarm's monitor: its limit can be changed while the node runs. */
    public DiskMonitor diskMonitor() {
        return disk;
    }

    /** Users, permissions and vhosts of the running node, for tests and embedding applications. */
    public BrokerAdmin admin() {
        return broker;
    }

    public ServerConfig config() {
        return config;
    }

    /** {@code ferrymq@<hostname>}: the AMQP {@code cluster_name} server property and the HTTP API's node. */
    public String nodeName() {
        return nodeName;
    }

    /**
     * Stops accepting and closes every AMQP connection with CONNECTION_FORCED, stops the HTTP API, shuts the broker
     * down and releases the data directory. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("stopping");
        var failure = new IllegalStateException("FerryMQ did not stop cleanly");
        stopAll(stopOrder, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
        log.info("stopped");
    }

    private static JournalPersistence openStore(Path dir) {
        try {
            return JournalPersistence.at(dir, StoreConfig.defaults());
        } catch (UncheckedIOException e) {
            throw new StartupException("cannot open the message store in " + dir + ": " + e.getCause(), e);
        }
    }

    /** Starts the broker on the message store, which it replays (recovery), or fails with one line saying why. */
    private static LocalBroker openBroker(ServerConfig config, JournalPersistence store, Path dir) {
        try {
            return new LocalBroker(brokerConfig(config), Clock.system(), store);
        } catch (UnsupportedFormatException e) {
            throw new StartupException("cannot open the message store in " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException | StoreException e) {
            throw new StartupException("cannot open the message store in " + dir + ": " + e, e);
        }
    }

    private static BrokerConfig brokerConfig(ServerConfig config) {
        long watermark = config.memoryHighWatermark().bytes(Runtime.getRuntime().maxMemory());
        return new BrokerConfig(config.defaultUser(), config.defaultPass(), watermark, config.maxMessageSizeBytes())
                .withConsumerTimeout(config.consumerTimeoutMillis());
    }

    private static AmqpServerConfig amqpConfig(ServerConfig config, String nodeName) {
        return new AmqpServerConfig(config.amqpHost(), config.amqpPort(), config.channelMax(), config.frameMax(),
                config.heartbeatSeconds(), config.handshakeTimeoutMillis(), FerryVersion.current(), nodeName,
                config.ioThreads());
    }

    /** A listener's start: binds and returns the bound address. */
    @FunctionalInterface
    private interface Bind {
        InetSocketAddress bind() throws Exception;
    }

    private static InetSocketAddress listen(String host, int port, Bind bind) {
        try {
            return bind.bind();
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw ListenFailure.of(host, port, failure);
        }
    }

    /** Stops everything in {@code started}, newest first, recording each failure on {@code failure}. */
    private static void stopAll(Deque<AutoCloseable> started, Throwable failure) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception stopFailed) {
                failure.addSuppressed(stopFailed);
            }
        }
    }
}
