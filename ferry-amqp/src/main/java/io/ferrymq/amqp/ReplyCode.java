package io.ferrymq.amqp;

import io.ferrymq.core.Condition;

/**
 * AMQP 0-9-1 reply codes as RabbitMQ uses them, and THE table that maps a core {@link Condition} to
 * one ({@link #of(Condition)}). {@code hard} codes close the connection, soft ones only the channel.
 */
enum ReplyCode {
    REPLY_SUCCESS(200, false),
    NO_ROUTE(312, false),
    CONNECTION_FORCED(320, true),
    ACCESS_REFUSED(403, false),
    NOT_FOUND(404, false),
    RESOURCE_LOCKED(405, false),
    PRECONDITION_FAILED(406, false),
    FRAME_ERROR(501, true),
    SYNTAX_ERROR(502, true),
    COMMAND_INVALID(503, true),
    CHANNEL_ERROR(504, true),
    UNEXPECTED_FRAME(505, true),
    RESOURCE_ERROR(506, true),
    NOT_ALLOWED(530, true),
    NOT_IMPLEMENTED(540, true),
    INTERNAL_ERROR(541, true);

    final int code;
    final boolean hard;

    ReplyCode(int code, boolean hard) {
        this.code = code;
        this.hard = hard;
    }

    /** The one mapping from the core's protocol-neutral conditions to AMQP. */
    static ReplyCode of(Condition condition) {
        return switch (condition) {
            case NOT_FOUND -> NOT_FOUND;
            case RESOURCE_LOCKED -> RESOURCE_LOCKED;
            case PRECONDITION_FAILED -> PRECONDITION_FAILED;
            case ACCESS_REFUSED -> ACCESS_REFUSED;
            case NOT_ALLOWED -> NOT_ALLOWED;
            case COMMAND_INVALID -> COMMAND_INVALID;
            case NOT_IMPLEMENTED -> NOT_IMPLEMENTED;
            case INTERNAL_ERROR -> INTERNAL_ERROR;
            case CONNECTION_FORCED -> CONNECTION_FORCED;
        };
    }

    /** The code the codec reports for malformed input; unknown numbers are treated as frame errors. */
    static ReplyCode ofCode(int code) {
        for (ReplyCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return FRAME_ERROR;
    }
}
