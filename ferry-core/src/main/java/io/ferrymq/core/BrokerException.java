package io.ferrymq.core;

/**
 * A refused operation: a {@link Condition} and a text a person can act on, naming the object it
 * concerns (for example {@code "no queue 'orders' in vhost '/'"}). Thrown by the core, mapped to
 * a protocol error by the adapter. Carries no stack trace: it is an expected outcome, not a bug.
 */
public final class BrokerException extends RuntimeException {
    private final Condition condition;

    public BrokerException(Condition condition, String message) {
        super(message, null, false, false);
        this.condition = condition;
    }

    public Condition condition() {
        return condition;
    }
}
