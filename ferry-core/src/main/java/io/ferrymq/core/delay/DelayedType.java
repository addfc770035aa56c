package io.ferrymq.core.delay;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.exchange.ExchangeType;

import java.util.Map;

/**
 * The {@code x-delayed-message} exchange type of RabbitMQ's delayed-message plugin: an exchange that holds each
 * message with a positive {@code x-delay} header for that long, then routes it as the exchange type named by its
 * {@code x-delayed-type} argument would. Stateless.
 */
public final class DelayedType {
    public static final String NAME = "x-delayed-message";
    public static final String ARGUMENT = "x-delayed-type";

    private DelayedType() {
    }

    public static boolean isDelayed(String type) {
        return NAME.equals(type);
    }

    /**
     * The type that routes the messages of a delayed exchange, from its {@code x-delayed-type} argument.
     *
     * @throws BrokerException PRECONDITION_FAILED when the argument is missing, not a string, or names no type
     *                         (another delayed type included)
     */
    public static ExchangeType routingType(Map<String, Object> arguments, String describe) {
        Object value = arguments == null ? null : arguments.get(ARGUMENT);
        String name = value == null ? null : FieldValues.asString(value).orElse(null);
        ExchangeType type = name == null ? null : ExchangeType.byName(name).orElse(null);
        if (type == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "Invalid argument, '" + ARGUMENT
                    + "' must be an existing exchange type: " + describe + " was declared with "
                    + (value == null ? "none" : "'" + value + "'") + "; use direct, fanout, topic or headers");
        }
        return type;
    }
}
