package io.ferrymq.core.queue;

import java.util.Map;

/**
 * What a queue was declared with; fixed for its life.
 *
 * @param exclusiveOwner the id of the connection that owns an exclusive queue, or
 *                       {@link #NOT_EXCLUSIVE}
 * @param type           the queue type's name ({@code classic})
 */
public record QueueSettings(String vhost, String name, String type, boolean durable, long exclusiveOwner,
                            boolean autoDelete, Map<String, Object> arguments) {
    public static final long NOT_EXCLUSIVE = 0;

    public QueueSettings {
        arguments = arguments == null ? Map.of() : arguments;
    }

    public boolean exclusive() {
        return exclusiveOwner != NOT_EXCLUSIVE;
    }

    /** "queue 'q' in vhost '/'", for error texts. */
    public String describe() {
        return "queue '" + name + "' in vhost '" + vhost + "'";
    }
}
