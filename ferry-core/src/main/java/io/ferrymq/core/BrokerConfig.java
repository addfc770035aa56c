package io.ferrymq.core;

/**
 * The core's settings, filled by ferry-server from defaults, {@code ferry.conf}, environment and
 * flags.
 *
 * @param defaultUser              created at first start with {@code defaultPassword}, tag
 *                                 administrator, full permissions on {@code /}; as in RabbitMQ,
 *                                 the user {@code guest} may only log in from loopback
 * @param memoryHighWatermarkBytes when the bodies of all messages held in memory exceed this,
 *                                 publishers are blocked until it drops below again
 * @param maxMessageSizeBytes      larger publishes are refused with PRECONDITION_FAILED
 * @param consumerTimeoutMillis    how long a delivery may stay unacknowledged before its channel is closed with
 *                                 PRECONDITION_FAILED (RabbitMQ's {@code consumer_timeout}); a queue's
 *                                 {@code x-consumer-timeout} overrides it
 */
public record BrokerConfig(String defaultUser, String defaultPassword, long memoryHighWatermarkBytes,
                           int maxMessageSizeBytes, long consumerTimeoutMillis) {

    /** 128 MiB, RabbitMQ's default max_message_size. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;
    /** 30 minutes, RabbitMQ's default consumer_timeout. */
    public static final long DEFAULT_CONSUMER_TIMEOUT = 30 * 60 * 1000L;

    /** With the default consumer timeout. */
    public BrokerConfig(String defaultUser, String defaultPassword, long memoryHighWatermarkBytes,
                        int maxMessageSizeBytes) {
        this(defaultUser, defaultPassword, memoryHighWatermarkBytes, maxMessageSizeBytes, DEFAULT_CONSUMER_TIMEOUT);
    }

    /** Defaults that work out of the box: guest/guest, watermark 40% of the maximum heap. */
    public static BrokerConfig defaults() {
        return new BrokerConfig("guest", "guest", (long) (Runtime.getRuntime().maxMemory() * 0.4),
                DEFAULT_MAX_MESSAGE_SIZE);
    }
}
