package io.ferrymq.common.message;

import java.time.Instant;
import java.util.Map;

/**
 * The fourteen content properties of an AMQP {@code basic} message, in property-flag order.
 * Any property may be null (absent). {@code headers} follows the field-value types of
 * {@link FieldValues}; {@code timestamp} has whole seconds.
 */
public record MessageProperties(
        String contentType,
        String contentEncoding,
        Map<String, Object> headers,
        Integer deliveryMode,
        Integer priority,
        String correlationId,
        String replyTo,
        String expiration,
        String messageId,
        Instant timestamp,
        String type,
        String userId,
        String appId,
        String clusterId) {

    /** No property set. */
    public static final MessageProperties EMPTY = new MessageProperties(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** delivery-mode 2 asks for the message to be written to disk on a durable queue. */
    public boolean persistent() {
        return deliveryMode != null && deliveryMode == 2;
    }

    public MessageProperties withHeaders(Map<String, Object> newHeaders) {
        return new MessageProperties(contentType, contentEncoding, newHeaders, deliveryMode, priority,
                correlationId, replyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    public MessageProperties withReplyTo(String newReplyTo) {
        return new MessageProperties(contentType, contentEncoding, headers, deliveryMode, priority,
                correlationId, newReplyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    public MessageProperties withExpiration(String newExpiration) {
        return new MessageProperties(contentType, contentEncoding, headers, deliveryMode, priority,
                correlationId, replyTo, newExpiration, messageId, timestamp, type, userId, appId, clusterId);
    }
}
