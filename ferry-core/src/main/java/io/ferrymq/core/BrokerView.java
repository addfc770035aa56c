package io.ferrymq.core;

import io.ferrymq.core.stats.BrokerStats;

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

    BrokerStats.Snapshot stats();

    /** Body bytes of the messages held by all queues, as the memory alarm counts them. */
    long memoryUsedBytes();

    boolean memoryAlarm();

    /** Whether free disk space is below {@code disk_free_limit}, blocking publishers. */
    boolean diskAlarm();

    /** One queue and its counts. */
    record QueueSnapshot(String vhost, String name, String type, boolean durable, boolean exclusive,
                         boolean autoDelete, Map<String, Object> arguments, int messagesReady,
                         int messagesUnacknowledged, int consumers) {
    }

    /** One client connection. */
    record ConnectionSnapshot(String id, String user, String vhost, String remoteAddress, String protocol,
                              int sessions) {
    }

    /** One exchange as declared. */
    record ExchangeSnapshot(String vhost, String name, String type, boolean durable, boolean autoDelete,
                            boolean internal, Map<String, Object> arguments) {
    }
}
