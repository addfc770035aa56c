package io.ferrymq.core.auth;

/**
 * A named object of a vhost that permissions apply to. The default exchange ("") is {@code amq.default} for
 * permission purposes, as in RabbitMQ.
 */
public record Resource(Kind kind, String vhost, String name) {
    public static final String DEFAULT_EXCHANGE = "amq.default";

    public enum Kind {
        QUEUE, EXCHANGE;

        String word() {
            return this == QUEUE ? "queue" : "exchange";
        }
    }

    public static Resource queue(String vhost, String name) {
        return new Resource(Kind.QUEUE, vhost, name);
    }

    public static Resource exchange(String vhost, String name) {
        return new Resource(Kind.EXCHANGE, vhost, name.isEmpty() ? DEFAULT_EXCHANGE : name);
    }

    /** As RabbitMQ names it in errors: {@code queue 'q' in vhost '/'}. */
    public String describe() {
        return kind.word() + " '" + name + "' in vhost '" + vhost + "'";
    }
}
