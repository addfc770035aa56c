package io.ferrymq.core.exchange;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.common.message.LongString;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Equality of field-table values as a client means them, not as Java types them: a number sent as
 * a short equals the same number sent as a long, and a {@link LongString} equals the same
 * {@link String}. Used for binding arguments, headers matching and declare equivalence.
 */
public final class FieldEquality {
    private FieldEquality() {
    }

    public static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        var longA = FieldValues.asLong(a);
        var longB = FieldValues.asLong(b);
        if (longA.isPresent() && longB.isPresent()) {
            return longA.get().longValue() == longB.get().longValue();
        }
        var stringA = FieldValues.asString(a);
        var stringB = FieldValues.asString(b);
        if (stringA.isPresent() && stringB.isPresent()) {
            return stringA.get().equals(stringB.get());
        }
        if (a instanceof Number na && b instanceof Number nb) {
            return new BigDecimal(na.toString()).compareTo(new BigDecimal(nb.toString())) == 0;
        }
        if (a instanceof byte[] ba && b instanceof byte[] bb) {
            return Arrays.equals(ba, bb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            return sameTable(ma, mb);
        }
        return Objects.equals(a, b);
    }

    /** Two tables with the same keys and {@link #same} values; null equals an empty table. */
    public static boolean sameTable(Map<?, ?> a, Map<?, ?> b) {
        Map<?, ?> left = a == null ? Map.of() : a;
        Map<?, ?> right = b == null ? Map.of() : b;
        if (left.size() != right.size()) {
            return false;
        }
        for (Map.Entry<?, ?> entry : left.entrySet()) {
            if (!right.containsKey(entry.getKey()) || !same(entry.getValue(), right.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A value as an error text shows it: strings quoted, numbers plain, absence as "none". */
    public static String render(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof LongString || value instanceof String) {
            return "'" + value + "'";
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        return String.valueOf(value);
    }
}
