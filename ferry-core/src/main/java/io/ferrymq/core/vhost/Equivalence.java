package io.ferrymq.core.vhost;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.delay.DelayedType;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.exchange.ExchangeType;
import io.ferrymq.core.exchange.FieldEquality;
import io.ferrymq.core.queue.ClassicQueueType;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueSettings;

import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Whether a redeclare asks for what exists, as RabbitMQ checks it: exchanges by type, durable,
 * auto-delete, internal and {@code alternate-exchange}; queues by durable, auto-delete and every
 * {@code x-} argument (exclusivity is an ownership question, see {@link #checkExclusiveAccess}).
 */
final class Equivalence {
    private static final String QUEUE_TYPE = "x-queue-type";

    private Equivalence() {
    }

    static void exchange(Exchange existing, ExchangeType type, boolean delayed, ExchangeDeclaration declared,
                         String alternate) {
        String what = existing.describe();
        String typeName = delayed ? DelayedType.NAME : type.wireName();
        field("type", what, "'" + typeName + "'", "'" + existing.typeName() + "'",
                typeName.equals(existing.typeName()));
        if (delayed) {
            field(DelayedType.ARGUMENT, what, "'" + type.wireName() + "'", "'" + existing.type().wireName() + "'",
                    type == existing.type());
        }
        field("durable", what, declared.durable(), existing.durable());
        field("auto_delete", what, declared.autoDelete(), existing.autoDelete());
        field("internal", what, declared.internal(), existing.internal());
        String current = existing.alternateExchange();
        field("alternate-exchange", what, FieldEquality.render(alternate), FieldEquality.render(current),
                Objects.equals(alternate, current));
    }

    static void queue(Queue existing, QueueDeclaration declared) {
        QueueSettings settings = existing.settings();
        String what = settings.describe();
        field("durable", what, declared.durable(), settings.durable());
        field("auto_delete", what, declared.autoDelete(), settings.autoDelete());
        Map<String, Object> requested = declared.arguments() == null ? Map.of() : declared.arguments();
        TreeSet<String> keys = new TreeSet<>(requested.keySet());
        keys.addAll(settings.arguments().keySet());
        for (String key : keys) {
            if (key.startsWith("x-")) {
                Object received = argument(requested, key);
                Object current = argument(settings.arguments(), key);
                field(key, what, FieldEquality.render(received), FieldEquality.render(current),
                        FieldEquality.same(received, current));
            }
        }
    }

    /**
     * RESOURCE_LOCKED when an exclusive queue belongs to another connection, or (with
     * {@code strict}, for a non-passive redeclare) when the declared exclusivity differs.
     */
    static void checkExclusiveAccess(Queue queue, long connection, boolean declaredExclusive, boolean strict) {
        QueueSettings settings = queue.settings();
        boolean foreign = settings.exclusive() && settings.exclusiveOwner() != connection;
        if (foreign || (strict && declaredExclusive != settings.exclusive())) {
            throw new BrokerException(Condition.RESOURCE_LOCKED, "cannot obtain exclusive access to locked "
                    + settings.describe() + ". It could be originally declared on another connection or the "
                    + "exclusive property value does not match that of the original declaration.");
        }
    }

    /** x-queue-type absent means classic, so both spellings are the same queue. */
    private static Object argument(Map<String, Object> arguments, String key) {
        Object value = arguments.get(key);
        return value == null && key.equals(QUEUE_TYPE) ? ClassicQueueType.NAME : value;
    }

    private static void field(String name, String what, boolean received, boolean current) {
        field(name, what, "'" + received + "'", "'" + current + "'", received == current);
    }

    private static void field(String name, String what, String received, String current, boolean same) {
        if (!same) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "inequivalent arg '" + name + "' for " + what
                    + ": received " + received + " but current is " + current
                    + "; redeclare with the same properties or delete it first");
        }
    }
}
