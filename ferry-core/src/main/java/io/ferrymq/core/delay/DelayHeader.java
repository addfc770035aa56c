package io.ferrymq.core.delay;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.Message;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-delay} header as RabbitMQ's delayed-message plugin reads it: milliseconds, as any integer type, or
 * as a decimal string or a floating-point number (truncated). Absent, unreadable, zero, negative or above
 * {@link #MAX_DELAY} means no delay. Stateless.
 */
public final class DelayHeader {
    public static final String NAME = "x-delay";
    /** The plugin's longest delay (the Erlang timer's limit, 2^32 - 1 ms); a longer one is no delay. */
    public static final long MAX_DELAY = 4_294_967_295L;

    private DelayHeader() {
    }

    /** The message's delay in ms, or 0 when it is not delayed. */
    public static long delayOf(Message message) {
        Map<String, Object> headers = message.properties().headers();
        if (headers == null) {
            return 0;
        }
        long delay = millis(headers.get(NAME));
        return delay > 0 && delay <= MAX_DELAY ? delay : 0;
    }

    private static long millis(Object value) {
        if (value == null) {
            return 0;
        }
        Long integer = FieldValues.asLong(value).orElse(null);
        if (integer != null) {
            return integer;
        }
        if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
            return ((Number) value).longValue();
        }
        String text = FieldValues.asString(value).orElse(null);
        if (text != null) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * The message as it leaves the delayed exchange once due: its {@code x-delay} header negated (as the plugin
     * does), so that consumers still see it came through a delay and a delayed exchange further on does not delay
     * it again.
     */
    public static Message delivered(Message message, long delay) {
        Map<String, Object> headers = new LinkedHashMap<>(message.properties().headers());
        headers.put(NAME, (int) Math.max(Integer.MIN_VALUE, -delay));
        return new Message(message.exchange(), message.routingKey(), message.properties().withHeaders(headers),
                message.body());
    }
}
