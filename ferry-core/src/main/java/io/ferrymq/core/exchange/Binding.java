package io.ferrymq.core.exchange;

import java.util.Map;
import java.util.Objects;

/**
 * A binding from a source exchange to a destination. Two bindings are the same when source,
 * destination, routing key and arguments are ({@link FieldEquality} for the arguments), as in
 * RabbitMQ, where a binding's arguments are part of its identity.
 */
public record Binding(Exchange source, Destination destination, String routingKey, Map<String, Object> arguments) {

    public Binding {
        arguments = arguments == null ? Map.of() : arguments;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binding other && source == other.source && destination.equals(other.destination)
                && routingKey.equals(other.routingKey) && FieldEquality.sameTable(arguments, other.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(source), destination, routingKey, arguments.keySet());
    }

    @Override
    public String toString() {
        return "binding of " + destination.describe() + " to " + source.describe() + " with key '" + routingKey + "'";
    }
}
