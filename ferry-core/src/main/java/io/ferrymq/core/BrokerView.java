package io.ferrymq.core;

import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.stats.StoreStats;

import java.util.List;
import java.util.Map;

/**
 * A read-only look into the broker for the management API and metrics. Thread-safe; every answer
 * is a snapshot that may lag operations in progress.
 */
public interface BrokerView {

    List<String> virtualHosts();

    /** Every queue of every virtual host. */
    List<QueueSnapshot> queues();

    /** Every exchange of every virtual host, the default one ("") included. */
    List<ExchangeSnapshot> exchanges();

    int connectionCount();

    List<ConnectionSnapshot> connections();

    /** Every open session (AMQP channel) of every connection. */
    List<ChannelSnapshot> channels();

    /** Every consumer of every queue. */
    List<ConsumerSnapshot> consumers();

    /** Every explicit binding of every vhost (not the default exchange's implicit ones). */
    List<BindingSnapshot> bindings();

    BrokerStats.Snapshot stats();

    /** The message store's counters (fsyncs, records per fsync); zeros without a store. */
    StoreStats storeStats();

    /** Body bytes of the messages held by all queues, as the memory alarm counts them. */
    long memoryUsedBytes();

    /** The memory high watermark in bytes: above it the alarm blocks publishers. */
    long memoryLimitBytes();

    boolean memoryAlarm();

    /** Whether free disk space is below {@code disk_free_limit}, blocking publishers. */
    boolean diskAlarm();

    /**
     * One queue and its counts.
     *
     * @param policy           the name of the policy applied, or null
     * @param policyDefinition that policy's definition (empty without one)
     * @param published        messages it took since it was declared (this run); with {@code delivered} and
     *                         {@code acked}, the counters behind per-queue rates
     */
    record QueueSnapshot(String vhost, String name, String type, boolean durable, boolean exclusive,
                         boolean autoDelete, Map<String, Object> arguments, int messagesReady,
                         int messagesUnacknowledged, int consumers, String policy,
                         Map<String, Object> policyDefinition, long published, long delivered, long acked) {
    }

    /** One client connection. */
    record ConnectionSnapshot(String id, String user, String vhost, String remoteAddress, String protocol,
                              int sessions, Map<String, Object> clientProperties) {
    }

    /**
     * One session of a connection.
     *
     * @param number              the protocol's channel number
     * @param prefetchCount       the per-consumer limit for consumers started from now on; 0: none
     * @param globalPrefetchCount the limit shared by the session's consumers; 0: none
     */
    record ChannelSnapshot(String connection, int number, String user, String vhost, int consumers,
                           int messagesUnacknowledged, int prefetchCount, int globalPrefetchCount,
                           boolean transactional) {
    }

    /** One consumer: which queue, which session, how it consumes. */
    record ConsumerSnapshot(String vhost, String queue, String consumerTag, String connection, int channel,
                            String user, boolean ackRequired, boolean exclusive, int prefetchCount, int priority) {
    }

    /**
     * One binding.
     *
     * @param destinationType "queue" or "exchange"
     */
    record BindingSnapshot(String vhost, String source, String destination, String destinationType,
                           String routingKey, Map<String, Object> arguments) {
    }

    /**
     * One exchange as declared.
     *
     * @param messagesDelayed the messages a delayed exchange holds until due; -1 for other exchanges
     */
    record ExchangeSnapshot(String vhost, String name, String type, boolean durable, boolean autoDelete,
                            boolean internal, Map<String, Object> arguments, long messagesDelayed) {
    }
}
