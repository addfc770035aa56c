package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.core.BrokerException;

import java.nio.charset.StandardCharsets;

/**
 * A protocol error the adapter raises: the reply code, a text naming what went wrong, and the
 * class-id/method-id of the method that caused it (0/0 when none). Whether it ends the channel or
 * the connection follows {@link ReplyCode#hard}. An expected outcome, so it carries no stack trace.
 */
final class AmqpError extends RuntimeException {
    /** reply-text is a shortstr. */
    private static final int MAX_REPLY_TEXT_BYTES = 255;

    final ReplyCode code;
    final int classId;
    final int methodId;

    AmqpError(ReplyCode code, String text, int classId, int methodId) {
        super(text, null, false, false);
        this.code = code;
        this.classId = classId;
        this.methodId = methodId;
    }

    static AmqpError of(ReplyCode code, String text, AmqpMethod cause) {
        return cause == null
                ? new AmqpError(code, text, 0, 0)
                : new AmqpError(code, text, cause.classId(), cause.methodId());
    }

    /** The core refused {@code cause}: map its condition through the one table. */
    static AmqpError of(BrokerException e, AmqpMethod cause) {
        return of(ReplyCode.of(e.condition()), e.getMessage(), cause);
    }

    /** RabbitMQ's form, "NOT_FOUND - no queue 'q' in vhost '/'", cut to what a shortstr holds. */
    String replyText() {
        return truncate(code.name() + " - " + getMessage());
    }

    static String truncate(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REPLY_TEXT_BYTES) {
            return text;
        }
        int end = MAX_REPLY_TEXT_BYTES;
        // do not cut a multi-byte character in half: back up to the start of a UTF-8 sequence
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
