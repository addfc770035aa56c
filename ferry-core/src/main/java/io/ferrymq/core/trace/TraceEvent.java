package io.ferrymq.core.trace;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;

import java.util.List;
import java.util.Map;

/**
 * One step of a message's way through the broker, as {@code GET /api/trace/{vhost}} reports it. Immutable. Absent
 * fields are null ({@code attempt} and {@code retryAt}: -1). {@code seq} and {@code timestamp} are given by the
 * {@link Tracer} when it records the event.
 *
 * @param event      {@code published}, {@code routed}, {@code unroutable}, {@code enqueued}, {@code delivered},
 *                   {@code acked}, {@code rejected}, {@code nacked}, {@code requeued}, {@code retry_scheduled},
 *                   {@code expired}, {@code dead_lettered}, {@code deduplicated} or {@code redriven}
 * @param queues     where a message was routed ({@code routed})
 * @param attempt    which delivery this is, 1 for the first ({@code delivered})
 * @param retryAt    when a retry is due, epoch ms ({@code retry_scheduled})
 * @param properties the message's properties ({@code published}): strings, longs and maps of them
 */
public record TraceEvent(long seq, long timestamp, String event, String vhost, String messageId,
                         String correlationId, String exchange, String routingKey, String queue, List<String> queues,
                         String consumerTag, String connection, int attempt, String reason, long retryAt,
                         Map<String, Object> properties) {

    /** An event about {@code message} in {@code vhost}, with its ids, exchange and routing key. */
    public static TraceEvent of(String event, String vhost, Message message) {
        MessageProperties p = message.properties();
        return new TraceEvent(0, 0, event, vhost, p.messageId(), p.correlationId(), message.exchange(),
                message.routingKey(), null, null, null, null, -1, null, -1, null);
    }

    public TraceEvent inQueue(String name) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, name,
                queues, consumerTag, connection, attempt, reason, retryAt, properties);
    }

    public TraceEvent withQueues(List<String> names) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                names, consumerTag, connection, attempt, reason, retryAt, properties);
    }

    public TraceEvent byConsumer(String tag, String connectionName) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                queues, tag, connectionName, attempt, reason, retryAt, properties);
    }

    public TraceEvent withAttempt(int n) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                queues, consumerTag, connection, n, reason, retryAt, properties);
    }

    public TraceEvent withReason(String why) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                queues, consumerTag, connection, attempt, why, retryAt, properties);
    }

    public TraceEvent withRetryAt(long at) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                queues, consumerTag, connection, attempt, reason, at, properties);
    }

    public TraceEvent withProperties(Map<String, Object> props) {
        return new TraceEvent(seq, timestamp, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                queues, consumerTag, connection, attempt, reason, retryAt, props);
    }

    /** The event as recorded: numbered and stamped. */
    TraceEvent stamped(long number, long at) {
        return new TraceEvent(number, at, event, vhost, messageId, correlationId, exchange, routingKey, queue,
                queues, consumerTag, connection, attempt, reason, retryAt, properties);
    }
}
