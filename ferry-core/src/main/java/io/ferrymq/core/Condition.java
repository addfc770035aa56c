package io.ferrymq.core;

/**
 * Why the core refused an operation, independent of any protocol. Each protocol adapter maps a
 * condition to its own error in one table (for AMQP: {@code ReplyCodes} in ferry-amqp).
 * {@link #channelScoped()} tells whether the failure ends only the session (AMQP "soft" error)
 * or the whole connection ("hard" error).
 */
public enum Condition {
    /** A queue or exchange does not exist. */
    NOT_FOUND(true),
    /** Another connection owns the exclusive queue, or an exclusive consumer holds it. */
    RESOURCE_LOCKED(true),
    /** Arguments conflict with existing state (redeclare, unknown delivery tag, size limit...). */
    PRECONDITION_FAILED(true),
    /** The user may not do this (permissions, reserved names, the default exchange). */
    ACCESS_REFUSED(true),
    /** The connection may not go on: unknown vhost, limits reached. */
    NOT_ALLOWED(false),
    /** The request is well-formed but invalid in the current state. */
    COMMAND_INVALID(false),
    /** The feature is not implemented (prefetch-size, immediate). */
    NOT_IMPLEMENTED(false),
    /** A bug or an unexpected failure in the broker. */
    INTERNAL_ERROR(false),
    /** The broker or an operator closed the connection. */
    CONNECTION_FORCED(false);

    private final boolean channelScoped;

    Condition(boolean channelScoped) {
        this.channelScoped = channelScoped;
    }

    public boolean channelScoped() {
        return channelScoped;
    }
}
