package io.ferrymq.core;

import io.ferrymq.core.queue.QueueContext;

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
 * @param queueResidentBytes       body bytes each queue keeps in memory before it pages persistent messages
 *                                 out to the store (read back when delivered)
 */
public record BrokerConfig(String defaultUser, String defaultPassword, long memoryHighWatermarkBytes,
                           int maxMessageSizeBytes, long consumerTimeoutMillis, long queueResidentBytes) {

    /** 128 MiB, RabbitMQ's default max_message_size. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;
    /** 30 minutes, RabbitMQ's default consumer_timeout. */
    public static final long DEFAULT_CONSUMER_TIMEOUT = 30 * 60 * 1000L;

    /** With the default consumer timeout and resident bytes per queue. */
    public BrokerConfig(String defaultUser, String defaultPassword, long memoryHighWatermarkBytes,
                        int maxMessageSizeBytes) {
        this(defaultUser, defaultPassword, memoryHighWatermarkBytes, maxMessageSizeBytes, DEFAULT_CONSUMER_TIMEOUT,
                QueueContext.DEFAULT_RESIDENT_BYTES);
    }

    /** The same settings with another consumer timeout. */
    public BrokerConfig withConsumerTimeout(long millis) {
        return new BrokerConfig(defaultUser, defaultPassword, memoryHighWatermarkBytes, maxMessageSizeBytes, millis,
                queueResidentBytes);
    }

    /** The same settings with another resident limit per queue. */
    public BrokerConfig withQueueResidentBytes(long bytes) {
        return new BrokerConfig(defaultUser, defaultPassword, memoryHighWatermarkBytes, maxMessageSizeBytes,
                consumerTimeoutMillis, bytes);
    }

    /** Defaults that work out of the box: guest/guest, watermark 40% of the maximum heap. */
    public static BrokerConfig defaults() {
        return new BrokerConfig("guest", "guest", (long) (Runtime.getRuntime().maxMemory() * 0.4),
                DEFAULT_MAX_MESSAGE_SIZE);
    }
}
