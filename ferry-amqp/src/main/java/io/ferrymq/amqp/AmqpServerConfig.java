package io.ferrymq.amqp;

/**
 * Settings of the AMQP 0-9-1 listener.
 *
 * @param host                   the address to bind ({@code 0.0.0.0} for every interface)
 * @param port                   the TCP port; 0 picks a free one (see {@link AmqpServer#start()})
 * @param channelMax             the highest number of channels per connection offered in
 *                               {@code connection.tune}; 0 means no limit (65535)
 * @param frameMax               the largest frame offered in {@code connection.tune}, framing
 *                               octets included; at least 4096
 * @param heartbeatSeconds       the heartbeat interval offered in {@code connection.tune}; 0
 *                               disables heartbeats unless the client asks for them
 * @param handshakeTimeoutMillis the time a client has from connecting to {@code connection.open-ok}
 * @param productVersion         the {@code version} server property clients see
 * @param nodeName               the node's name ({@code ferrymq@<host>}), shown to clients as the
 *                               {@code cluster_name} server property; ferry-server works it out
 *                               once and gives the HTTP API the same
 * @param ioThreads              the number of I/O event loops (threads) serving connections, up to
 *                               {@link #MAX_IO_THREADS}; 0 means {@link #defaultIoThreads(int)} of this machine's
 *                               cores
 */
public record AmqpServerConfig(String host, int port, int channelMax, int frameMax, int heartbeatSeconds,
                               int handshakeTimeoutMillis, String productVersion, String nodeName, int ioThreads) {

    /** The smallest frame-max AMQP allows (FRAME-MIN-SIZE). */
    public static final int MIN_FRAME_MAX = 4096;
    /** The most I/O event loops one may configure: far beyond any use, it only catches typos. */
    public static final int MAX_IO_THREADS = 1024;

    public AmqpServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("AMQP port " + port + " is outside 0..65535");
        }
        if (channelMax < 0 || channelMax > 65535) {
            throw new IllegalArgumentException("channel_max " + channelMax + " is outside 0..65535");
        }
        if (frameMax < MIN_FRAME_MAX) {
            throw new IllegalArgumentException("frame_max " + frameMax + " is below the AMQP minimum of "
                    + MIN_FRAME_MAX);
        }
        if (heartbeatSeconds < 0 || heartbeatSeconds > 65535) {
            throw new IllegalArgumentException("heartbeat " + heartbeatSeconds + " is outside 0..65535 seconds");
        }
        if (handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshake timeout must be positive, was " + handshakeTimeoutMillis);
        }
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the node name must not be blank");
        }
        if (ioThreads < 0 || ioThreads > MAX_IO_THREADS) {
            throw new IllegalArgumentException("io_threads " + ioThreads + " is outside 0.." + MAX_IO_THREADS);
        }
    }

    /**
     * RabbitMQ's defaults: port 5672, channel-max 2047, frame-max 131072, heartbeat 60 s, handshake 10 s; node
     * name {@code ferrymq@localhost} (no host name lookup here: a node passes its real name); the default number
     * of I/O threads.
     */
    public static AmqpServerConfig defaults() {
        return new AmqpServerConfig("0.0.0.0", 5672, 2047, 131072, 60, 10_000, "0.1.0", "ferrymq@localhost", 0);
    }

    /** The same settings on another port (tests use 0). */
    public AmqpServerConfig withPort(int newPort) {
        return new AmqpServerConfig(host, newPort, channelMax, frameMax, heartbeatSeconds, handshakeTimeoutMillis,
                productVersion, nodeName, ioThreads);
    }

    /** The same settings with another number of I/O threads (0 for the default). */
    public AmqpServerConfig withIoThreads(int newIoThreads) {
        return new AmqpServerConfig(host, port, channelMax, frameMax, heartbeatSeconds, handshakeTimeoutMillis,
                productVersion, nodeName, newIoThreads);
    }

    /**
     * The I/O event loops for {@code processors} cores when none are configured: half the cores, at least one.
     * The broker shares the cores with its store writer thread, the GC and, on small machines, its clients; more
     * loops than that only add hand-offs between loops (a delivery to a consumer on another loop wakes that loop
     * through an eventfd), which cost CPU per message without adding throughput (docs/CONFIGURATION.md).
     */
    public static int defaultIoThreads(int processors) {
        return Math.max(1, processors / 2);
    }

    /** The number of I/O event loops to run: the configured one, or the default for this machine's cores. */
    public int effectiveIoThreads() {
        return ioThreads == 0 ? defaultIoThreads(Runtime.getRuntime().availableProcessors()) : ioThreads;
    }

    /** channel-max as offered in tune: the configured value, with 0 ("no limit") spelled as 65535. */
    int effectiveChannelMax() {
        return channelMax == 0 ? 65535 : channelMax;
    }
}
