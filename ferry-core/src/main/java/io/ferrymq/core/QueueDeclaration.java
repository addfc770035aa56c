package io.ferrymq.core;

import java.util.Map;

/**
 * queue.declare. An empty {@code name} asks the broker to name the queue ({@code amq.gen-...}).
 * {@code exclusive}: owned by the declaring connection, deleted when it closes.
 */
public record QueueDeclaration(String name, boolean passive, boolean durable, boolean exclusive, boolean autoDelete,
                               Map<String, Object> arguments) {
}
