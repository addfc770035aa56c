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
 * @param queueResidentBytes       body bytes each queue keeps in memory before it pages persistent messages
 *                                 out to the store (read back when delivered)
 */
public record BrokerConfig(String defaultUser, String defaultPassword, long memoryHighWatermarkBytes,
                           int maxMessageSizeBytes, long queueResidentBytes) {

    public BrokerConfig(String defaultUser, String defaultPassword, long memoryHighWatermarkBytes,
                        int maxMessageSizeBytes) {
        this(defaultUser, defaultPassword, memoryHighWatermarkBytes, maxMessageSizeBytes,
                QueueContext.DEFAULT_RESIDENT_BYTES);
    }

    /** 128 MiB, RabbitMQ's default max_message_size. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;

    /** Defaults that work out of the box: guest/guest, watermark 40% of the maximum heap. */
    public static BrokerConfig defaults() {
        return new BrokerConfig("guest", "guest", (long) (Runtime.getRuntime().maxMemory() * 0.4),
                DEFAULT_MAX_MESSAGE_SIZE);
    }
}
