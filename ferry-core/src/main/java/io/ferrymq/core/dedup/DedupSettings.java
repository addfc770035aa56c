package io.ferrymq.core.dedup;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.exchange.FieldEquality;

import java.util.Map;

/**
 * The deduplication arguments of a queue or exchange (G4), as the RabbitMQ message-deduplication plugin names them.
 *
 * @param cacheSize how many keys the window holds at most; the oldest go first
 * @param ttlMillis how long a key stays in the window, or 0 for as long as the size allows
 */
public record DedupSettings(int cacheSize, long ttlMillis) {
    public static final String ENABLED = "x-message-deduplication";
    public static final String CACHE_SIZE = "x-cache-size";
    public static final String CACHE_TTL = "x-cache-ttl";
    /** Without {@code x-cache-size}: enough for a busy minute, a few MiB of memory. */
    public static final int DEFAULT_CACHE_SIZE = 100_000;

    /**
     * The settings {@code arguments} ask for, or null when deduplication is off.
     *
     * @param owner names the queue or exchange, for error texts
     * @throws BrokerException PRECONDITION_FAILED naming the argument whose value is invalid
     */
    public static DedupSettings parse(Map<String, Object> arguments, String owner) {
        Object enabled = arguments.get(ENABLED);
        if (enabled == null) {
            return null;
        }
        boolean on = FieldValues.asBoolean(enabled).orElseThrow(() -> invalid(ENABLED, enabled, owner,
                "it must be a boolean"));
        if (!on) {
            return null;
        }
        long size = number(arguments, CACHE_SIZE, DEFAULT_CACHE_SIZE, owner);
        if (size < 1 || size > Integer.MAX_VALUE) {
            throw invalid(CACHE_SIZE, arguments.get(CACHE_SIZE), owner, "it must be a positive number of entries");
        }
        long ttl = number(arguments, CACHE_TTL, 0, owner);
        if (ttl < 0 || (arguments.containsKey(CACHE_TTL) && ttl == 0)) {
            throw invalid(CACHE_TTL, arguments.get(CACHE_TTL), owner, "it must be a positive number of milliseconds");
        }
        return new DedupSettings((int) size, ttl);
    }

    private static long number(Map<String, Object> arguments, String name, long absent, String owner) {
        Object value = arguments.get(name);
        if (value == null) {
            return absent;
        }
        return FieldValues.asLong(value).orElseThrow(() -> invalid(name, value, owner, "it must be an integer"));
    }

    private static BrokerException invalid(String name, Object value, String owner, String rule) {
        return new BrokerException(Condition.PRECONDITION_FAILED, "invalid arg '" + name + "' "
                + FieldEquality.render(value) + " for " + owner + ": " + rule);
    }
}
