package io.ferrymq.core.exchange;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test a headers-exchange binding applies to a message's headers, parsed once at bind time
 * from the binding arguments, as RabbitMQ reads them.
 *
 * <p>{@code x-match} is {@code all} (the default), {@code any}, {@code all-with-x} or
 * {@code any-with-x}. Binding arguments whose key starts with {@code x-} are not conditions unless
 * the mode ends in {@code -with-x}. A condition holds when the header is present with a
 * {@link FieldEquality#same same} value; a condition whose value is void (null) holds when the
 * header is present at all. {@code all} with no condition matches every message; {@code any} with
 * none matches nothing.
 */
public record HeadersMatch(boolean any, List<Map.Entry<String, Object>> conditions) {
    private static final String X_MATCH = "x-match";

    public static HeadersMatch parse(Map<String, Object> arguments, String bindingDescription) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        Object mode = args.get(X_MATCH);
        String text = mode == null ? "all" : FieldValues.asString(mode).orElse(null);
        if (text == null || !List.of("all", "any", "all-with-x", "any-with-x").contains(text)) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "invalid x-match value "
                    + FieldEquality.render(mode) + " in the " + bindingDescription
                    + ": use all, any, all-with-x or any-with-x");
        }
        boolean withX = text.endsWith("-with-x");
        List<Map.Entry<String, Object>> conditions = new ArrayList<>();
        for (Map.Entry<String, Object> arg : args.entrySet()) {
            String key = arg.getKey();
            if (!key.equals(X_MATCH) && (withX || !key.startsWith("x-"))) {
                conditions.add(new AbstractMap.SimpleImmutableEntry<>(key, arg.getValue()));
            }
        }
        return new HeadersMatch(text.startsWith("any"), List.copyOf(conditions));
    }

    public boolean matches(Map<String, Object> headers) {
        Map<String, Object> present = headers == null ? Map.of() : headers;
        for (Map.Entry<String, Object> condition : conditions) {
            boolean holds = holds(condition, present);
            if (any && holds) {
                return true;
            }
            if (!any && !holds) {
                return false;
            }
        }
        return !any;
    }

    private static boolean holds(Map.Entry<String, Object> condition, Map<String, Object> headers) {
        if (!headers.containsKey(condition.getKey())) {
            return false;
        }
        Object wanted = condition.getValue();
        return wanted == null || FieldEquality.same(wanted, headers.get(condition.getKey()));
    }
}
