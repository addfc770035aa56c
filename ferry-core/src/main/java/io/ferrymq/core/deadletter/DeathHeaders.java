package io.ferrymq.core.deadletter;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers dead-lettering writes, as RabbitMQ writes them, and RabbitMQ's cycle rule. Pure functions.
 *
 * <p>{@code x-death} is an array of tables, most recent first, one per (queue, reason): {@code count} (long),
 * {@code reason}, {@code queue}, {@code time} (timestamp of the first such death), {@code exchange} and
 * {@code routing-keys} (array) the message had in that queue, and {@code original-expiration} when the message had
 * an {@code expiration} property, which is then removed so that it does not expire again where it goes. A death
 * for a (queue, reason) already listed increments its count and moves it to the front. {@code x-first-death-*}
 * are written once; {@code x-last-death-*} (RabbitMQ 3.13+) follow every death.
 */
public final class DeathHeaders {
    public static final String X_DEATH = "x-death";

    private DeathHeaders() {
    }

    /**
     * The message as it leaves {@code queue} for {@code reason}: death headers added, expiration removed, addressed
     * to {@code exchange} with {@code routingKey} (null: its own key).
     */
    public static Message died(Message message, String queue, String reason, long nowMillis, String exchange,
                               String routingKey) {
        MessageProperties properties = message.properties();
        Map<String, Object> old = properties.headers();
        Map<String, Object> headers = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old);
        List<Object> deaths = new ArrayList<>();
        Map<String, Object> same = null;
        if (headers.get(X_DEATH) instanceof List<?> earlier) {
            for (Object death : earlier) {
                if (same == null && death instanceof Map<?, ?> table && is(table, "queue", queue)
                        && is(table, "reason", reason)) {
                    same = copy(table);
                } else {
                    deaths.add(death);
                }
            }
        }
        if (same != null) {
            long count = FieldValues.asLong(same.get("count")).orElse(1L);
            same.put("count", count + 1);
        } else {
            same = new LinkedHashMap<>();
            same.put("count", 1L);
            same.put("reason", LongString.of(reason));
            same.put("queue", LongString.of(queue));
            same.put("time", Instant.ofEpochSecond(Math.floorDiv(nowMillis, 1000)));
            same.put("exchange", LongString.of(message.exchange()));
            same.put("routing-keys", List.of(LongString.of(message.routingKey())));
            if (properties.expiration() != null) {
                same.put("original-expiration", LongString.of(properties.expiration()));
            }
        }
        deaths.add(0, same);
        headers.put(X_DEATH, deaths);
        headers.putIfAbsent("x-first-death-reason", LongString.of(reason));
        headers.putIfAbsent("x-first-death-queue", LongString.of(queue));
        headers.putIfAbsent("x-first-death-exchange", LongString.of(message.exchange()));
        headers.put("x-last-death-reason", LongString.of(reason));
        headers.put("x-last-death-queue", LongString.of(queue));
        headers.put("x-last-death-exchange", LongString.of(message.exchange()));
        return new Message(exchange, routingKey == null ? message.routingKey() : routingKey,
                properties.withHeaders(headers).withExpiration(null), message.body());
    }

    /**
     * RabbitMQ's cycle rule for a dead-lettered message about to enter {@code target}: it is a cycle when the
     * message died in {@code target} before and no death since then (that one included) was a rejection. A
     * message dead-lettered for {@code rejected} is never in a cycle: a consumer chose to send it on.
     */
    public static boolean isCycle(Message deadLettered, String reason, String target) {
        if ("rejected".equals(reason)) {
            return false;
        }
        Map<String, Object> headers = deadLettered.properties().headers();
        if (headers == null || !(headers.get(X_DEATH) instanceof List<?> deaths)) {
            return false;
        }
        for (Object death : deaths) {
            if (!(death instanceof Map<?, ?> table) || is(table, "reason", "rejected")) {
                return false;
            }
            if (is(table, "queue", target)) {
                return true;
            }
        }
        return false;
    }

    private static boolean is(Map<?, ?> table, String field, String value) {
        return FieldValues.asString(table.get(field)).map(value::equals).orElse(false);
    }

    private static Map<String, Object> copy(Map<?, ?> table) {
        Map<String, Object> copy = new LinkedHashMap<>();
        table.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }
}
