package io.ferrymq.server;

import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.trace.Tracer;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a node needs to start, already validated. Built from defaults plus {@link Setting}s (see
 * {@link ConfigLoader} for where those come from and docs/CONFIGURATION.md for every key).
 *
 * @param amqpHost               interface the AMQP listener binds; {@code 0.0.0.0} is every IPv4 interface
 * @param amqpPort               0 binds a free port (tests); {@link FerryServer#amqpPort()} reports the bound one
 * @param httpHost               interface the HTTP API binds
 * @param httpPort               0 binds a free port
 * @param diskFreeLimitBytes     below this much free space on the data directory's disk, publishers are blocked
 * @param maxMessageSizeBytes    larger publishes are refused
 * @param frameMax               largest AMQP frame offered to clients in connection.tune
 * @param channelMax             most channels per connection offered in connection.tune
 * @param heartbeatSeconds       heartbeat interval offered in connection.tune; 0 turns heartbeats off
 * @param handshakeTimeoutMillis a client that has not finished connection.open by then is disconnected
 * @param consumerTimeoutMillis  a delivery unacknowledged for longer closes its channel (RabbitMQ's
 *                               {@code consumer_timeout}); a queue's {@code x-consumer-timeout} overrides it
 * @param traceMaxEvents         message trace keeps at most this many events
 * @param traceMaxAgeMillis      message trace forgets events older than this
 * @param ioThreads              I/O event loops serving AMQP connections; 0 means half the cores, at least one
 */
public record ServerConfig(String amqpHost, int amqpPort, String httpHost, int httpPort, Path dataDir,
                           String defaultUser, String defaultPass, MemoryWatermark memoryHighWatermark,
                           long diskFreeLimitBytes, int maxMessageSizeBytes, int frameMax, int channelMax,
                           int heartbeatSeconds, int handshakeTimeoutMillis, long consumerTimeoutMillis,
                           LogLevel logLevel, int traceMaxEvents, long traceMaxAgeMillis, int ioThreads) {

    /** RabbitMQ's default {@code disk_free_limit.absolute}, 50MB. */
    public static final long DEFAULT_DISK_FREE_LIMIT = 50_000_000;

    /** Listen on every interface, as RabbitMQ does, on RabbitMQ's ports; data in ./data. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 5672, "0.0.0.0", 15672, Path.of("data"), "guest", "guest",
                new MemoryWatermark.Relative(0.4), DEFAULT_DISK_FREE_LIMIT, BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE,
                131072, 2047, 60, 10_000, BrokerConfig.DEFAULT_CONSUMER_TIMEOUT, LogLevel.INFO,
                Tracer.DEFAULT_MAX_EVENTS, Tracer.DEFAULT_MAX_AGE_MILLIS, 0);
    }

    /**
     * The defaults with {@code settings} applied in order, so a later setting of the same key wins.
     *
     * @throws StartupException naming the setting's origin and key when a key is unknown or a value is invalid
     */
    public static ServerConfig from(List<Setting> settings) {
        var builder = new Builder(defaults());
        for (Setting setting : settings) {
            ConfigKeys.apply(setting, builder);
        }
        return builder.build();
    }

    /** Mutable twin of the record while settings are applied one by one; only {@link ConfigKeys} writes it. */
    static final class Builder {
        String amqpHost;
        int amqpPort;
        String httpHost;
        int httpPort;
        Path dataDir;
        String defaultUser;
        String defaultPass;
        MemoryWatermark memoryHighWatermark;
        long diskFreeLimitBytes;
        int maxMessageSizeBytes;
        int frameMax;
        int channelMax;
        int heartbeatSeconds;
        int handshakeTimeoutMillis;
        long consumerTimeoutMillis;
        LogLevel logLevel;
        int traceMaxEvents;
        long traceMaxAgeMillis;
        int ioThreads;

        Builder(ServerConfig start) {
            amqpHost = start.amqpHost;
            amqpPort = start.amqpPort;
            httpHost = start.httpHost;
            httpPort = start.httpPort;
            dataDir = start.dataDir;
            defaultUser = start.defaultUser;
            defaultPass = start.defaultPass;
            memoryHighWatermark = start.memoryHighWatermark;
            diskFreeLimitBytes = start.diskFreeLimitBytes;
            maxMessageSizeBytes = start.maxMessageSizeBytes;
            frameMax = start.frameMax;
            channelMax = start.channelMax;
            heartbeatSeconds = start.heartbeatSeconds;
            handshakeTimeoutMillis = start.handshakeTimeoutMillis;
            consumerTimeoutMillis = start.consumerTimeoutMillis;
            logLevel = start.logLevel;
            traceMaxEvents = start.traceMaxEvents;
            traceMaxAgeMillis = start.traceMaxAgeMillis;
            ioThreads = start.ioThreads;
        }

        ServerConfig build() {
            return new ServerConfig(amqpHost, amqpPort, httpHost, httpPort, dataDir, defaultUser, defaultPass,
                    memoryHighWatermark, diskFreeLimitBytes, maxMessageSizeBytes, frameMax, channelMax,
                    heartbeatSeconds, handshakeTimeoutMillis, consumerTimeoutMillis, logLevel, traceMaxEvents,
                    traceMaxAgeMillis, ioThreads);
        }
    }
}
