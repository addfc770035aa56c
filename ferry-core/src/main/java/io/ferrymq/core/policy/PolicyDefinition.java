package io.ferrymq.core.policy;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys a policy definition may hold, RabbitMQ's names for RabbitMQ's settings and FerryMQ's own for retry and
 * trace, and the checks of their values. Every queue key is the queue argument without its {@code x-} prefix.
 * Stateless.
 */
public final class PolicyDefinition {
    public static final String TRACE = "trace";
    private static final List<String> OVERFLOW = List.of("drop-head", "reject-publish", "reject-publish-dlx");

    private enum Kind { NON_NEGATIVE, POSITIVE, STRING, OVERFLOW, MULTIPLIER, BOOLEAN }

    private static final Map<String, Kind> KEYS = keys();

    private PolicyDefinition() {
    }

    private static Map<String, Kind> keys() {
        Map<String, Kind> keys = new TreeMap<>();
        keys.put("message-ttl", Kind.NON_NEGATIVE);
        keys.put("expires", Kind.POSITIVE);
        keys.put("dead-letter-exchange", Kind.STRING);
        keys.put("dead-letter-routing-key", Kind.STRING);
        keys.put("max-length", Kind.NON_NEGATIVE);
        keys.put("max-length-bytes", Kind.NON_NEGATIVE);
        keys.put("overflow", Kind.OVERFLOW);
        keys.put("delivery-limit", Kind.NON_NEGATIVE);
        keys.put("retry-delay", Kind.POSITIVE);
        keys.put("retry-multiplier", Kind.MULTIPLIER);
        keys.put("retry-max-delay", Kind.POSITIVE);
        keys.put(TRACE, Kind.BOOLEAN);
        return keys;
    }

    /**
     * The definition with its values normalised (integers as Long, the multiplier as Double, trace as Boolean).
     *
     * @throws BrokerException PRECONDITION_FAILED naming the first bad key
     */
    static Map<String, Object> validate(Map<String, Object> definition, String policy) {
        if (definition == null || definition.isEmpty()) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "policy '" + policy
                    + "' needs a definition with at least one key of " + KEYS.keySet());
        }
        Map<String, Object> normal = new LinkedHashMap<>();
        definition.forEach((key, value) -> {
            Kind kind = KEYS.get(key);
            if (kind == null) {
                throw bad(policy, key, value, "unknown key; known keys are " + KEYS.keySet());
            }
            normal.put(key, normalise(policy, key, value, kind));
        });
        if (normal.containsKey("dead-letter-routing-key") && !normal.containsKey("dead-letter-exchange")) {
            throw bad(policy, "dead-letter-routing-key", normal.get("dead-letter-routing-key"),
                    "it needs dead-letter-exchange too");
        }
        return Map.copyOf(normal);
    }

    private static Object normalise(String policy, String key, Object value, Kind kind) {
        switch (kind) {
            case NON_NEGATIVE, POSITIVE -> {
                Long number = integer(value);
                long min = kind == Kind.POSITIVE ? 1 : 0;
                if (number == null || number < min) {
                    throw bad(policy, key, value, "it must be an integer of " + min + " or more");
                }
                return number;
            }
            case STRING -> {
                if (!(value instanceof String) && FieldValues.asString(value).isEmpty()) {
                    throw bad(policy, key, value, "it must be a string");
                }
                return FieldValues.asString(value).orElse(String.valueOf(value));
            }
            case OVERFLOW -> {
                String text = value == null ? null : FieldValues.asString(value).orElse(null);
                if (!OVERFLOW.contains(text)) {
                    throw bad(policy, key, value, "it must be one of " + OVERFLOW);
                }
                return text;
            }
            case MULTIPLIER -> {
                Double number = value instanceof Number n ? Double.valueOf(n.doubleValue())
                        : value instanceof String s ? parseDouble(s) : null;
                if (number == null || !(number >= 1.0) || number.isInfinite()) {
                    throw bad(policy, key, value, "it must be a number of 1 or more");
                }
                return number;
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    return b;
                }
                if ("true".equals(value) || "false".equals(value)) {
                    return Boolean.valueOf((String) value);
                }
                throw bad(policy, key, value, "it must be true or false");
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private static Long integer(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) ? (long) d : null;
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return value == null ? null : FieldValues.asLong(value).orElse(null);
    }

    private static Double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BrokerException bad(String policy, String key, Object value, String why) {
        return new BrokerException(Condition.PRECONDITION_FAILED, "invalid key '" + key + "' = " + value
                + " in the definition of policy '" + policy + "': " + why);
    }
}
