package io.ferrymq.core.queue;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.exchange.FieldEquality;

import java.util.Map;

/**
 * The arguments that decide in which order a queue hands out its messages and to whom, read and checked once when
 * it is declared (see docs/ORDERING.md). RabbitMQ's names and rules for the first two; {@code x-message-groups} is
 * FerryMQ's own.
 *
 * @param maxPriority          {@code x-max-priority}: 0 (no priorities) to 255; a message's priority property is
 *                             capped at it, an absent one is 0
 * @param singleActiveConsumer {@code x-single-active-consumer}: one consumer at a time gets messages
 * @param messageGroups        {@code x-message-groups}: the messages of one {@code x-group-id} go to one consumer
 *                             at a time
 */
public record OrderingArguments(int maxPriority, boolean singleActiveConsumer, boolean messageGroups) {
    public static final OrderingArguments DEFAULTS = new OrderingArguments(0, false, false);
    /** RabbitMQ's highest supported priority. */
    public static final int MAX_PRIORITY = 255;
    /** The message header naming a message's group. */
    public static final String GROUP_HEADER = "x-group-id";

    /**
     * Reads the ordering arguments of a queue being declared.
     *
     * @throws BrokerException PRECONDITION_FAILED naming the first bad argument
     */
    public static OrderingArguments of(QueueSettings settings) {
        Map<String, Object> arguments = settings.arguments();
        return new OrderingArguments(maxPriority(settings, arguments),
                flag(settings, arguments, "x-single-active-consumer"), flag(settings, arguments, "x-message-groups"));
    }

    /** The level a message of {@code priority} (its property, null when absent) is queued at. */
    int levelOf(Integer priority) {
        if (priority == null || maxPriority == 0 || priority < 0) {
            return 0;
        }
        return Math.min(priority, maxPriority);
    }

    private static int maxPriority(QueueSettings settings, Map<String, Object> arguments) {
        Object value = arguments.get("x-max-priority");
        if (value == null) {
            return 0;
        }
        long max = FieldValues.asLong(value).orElseThrow(() -> invalid(settings, "x-max-priority", value,
                "it must be an integer, not " + value.getClass().getSimpleName()));
        if (max < 0 || max > MAX_PRIORITY) {
            throw invalid(settings, "x-max-priority", value, max + " is out of range; use 1 to " + MAX_PRIORITY
                    + " (0: no priorities)");
        }
        return (int) max;
    }

    private static boolean flag(QueueSettings settings, Map<String, Object> arguments, String name) {
        Object value = arguments.get(name);
        if (value == null) {
            return false;
        }
        return FieldValues.asBoolean(value).orElseThrow(() -> invalid(settings, name, value,
                "it must be a boolean, not " + value.getClass().getSimpleName()));
    }

    private static BrokerException invalid(QueueSettings settings, String name, Object value, String why) {
        return new BrokerException(Condition.PRECONDITION_FAILED, "invalid arg '" + name + "' "
                + FieldEquality.render(value) + " for " + settings.describe() + ": " + why);
    }
}
