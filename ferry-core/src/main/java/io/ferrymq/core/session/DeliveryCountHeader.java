package io.ferrymq.core.session;

import io.ferrymq.core.Message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds the {@code x-delivery-count} header to a redelivered message (guarantee G2), as RabbitMQ's
 * quorum queues do: the number of earlier deliveries, absent on the first delivery. The stored
 * message is not changed; only the copy handed to the consumer carries the header.
 */
final class DeliveryCountHeader {
    static final String NAME = "x-delivery-count";

    private DeliveryCountHeader() {
    }

    static Message apply(Message message, int deliveryCount) {
        if (deliveryCount == 0) {
            return message;
        }
        Map<String, Object> old = message.properties().headers();
        Map<String, Object> headers = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old);
        headers.put(NAME, (long) deliveryCount);
        return new Message(message.exchange(), message.routingKey(), message.properties().withHeaders(headers),
                message.body());
    }
}
