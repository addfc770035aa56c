package io.ferrymq.core.queue;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Message;

/**
 * When a message expires: the earlier of the queue's {@code x-message-ttl} and the message's own
 * {@code expiration} property (a string of milliseconds, as RabbitMQ reads it), counted from when it entered the
 * queue. An entry is expired once the clock is past its expiry ({@code now > expiresAt}), so a TTL of 0 still lets
 * a message go to a consumer that is ready in the same millisecond, as in RabbitMQ.
 */
public final class Expiry {
    /** No expiry. */
    public static final long NEVER = Long.MAX_VALUE;

    private Expiry() {
    }

    static long expiresAt(QueueArguments arguments, Message message, long now) {
        return expiresAt(arguments, message.properties().expiration(), now);
    }

    /** @param own the message's {@code expiration} property, or null */
    static long expiresAt(QueueArguments arguments, String own, long now) {
        long ttl = arguments.messageTtl();
        if (own != null) {
            long parsed = parse(own);
            ttl = ttl == QueueArguments.NONE ? parsed : Math.min(ttl, parsed);
        }
        if (ttl == QueueArguments.NONE) {
            return NEVER;
        }
        long at = now + ttl;
        return at < now ? NEVER : at;
    }

    static boolean expired(QueueEntry entry, long now) {
        return now > entry.expiresAt();
    }

    /**
     * Checks a published message's {@code expiration} property as RabbitMQ does: absent, or the decimal digits of a
     * non-negative number of milliseconds.
     *
     * @throws BrokerException PRECONDITION_FAILED naming the bad value
     */
    public static void checkExpiration(Message message) {
        String expiration = message.properties().expiration();
        if (expiration != null && parse(expiration) == QueueArguments.NONE) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "invalid expiration '" + expiration
                    + "' for message: it must be a string of digits, milliseconds of 0 or more");
        }
    }

    /** The milliseconds, or {@link QueueArguments#NONE} when the text is not a non-negative integer. */
    private static long parse(String expiration) {
        if (expiration.isEmpty() || expiration.length() > 18) {
            return QueueArguments.NONE;
        }
        long value = 0;
        for (int i = 0; i < expiration.length(); i++) {
            char c = expiration.charAt(i);
            if (c < '0' || c > '9') {
                return QueueArguments.NONE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
