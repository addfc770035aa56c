package io.ferrymq.core;

import io.ferrymq.common.message.MessageProperties;

/**
 * A published message as the core stores and routes it. Immutable; {@code body} is never
 * modified after construction (it is shared by every queue the message is routed to).
 *
 * @param exchange   the exchange it was published to ({@code ""} for the default exchange)
 * @param routingKey the routing key it was published with
 */
public record Message(String exchange, String routingKey, MessageProperties properties, byte[] body) {

    /** Absent properties are {@link MessageProperties#EMPTY}, so no reader needs a null check. */
    public Message {
        if (properties == null) {
            properties = MessageProperties.EMPTY;
        }
    }
}
