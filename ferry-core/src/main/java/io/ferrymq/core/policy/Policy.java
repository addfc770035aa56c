package io.ferrymq.core.policy;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A policy in RabbitMQ's shape: settings ({@code definition}) for the queues of a vhost whose name the
 * {@code pattern} finds (a regular expression, unanchored). Of the policies matching a queue, the highest
 * {@code priority} applies; arguments a queue was declared with win over its policy. Immutable; the definition is
 * validated and normalised ({@link PolicyDefinition}) when the policy is built.
 *
 * @param applyTo {@code queues}, {@code exchanges} or {@code all} (FerryMQ's definition keys only act on queues)
 */
public record Policy(String vhost, String name, String pattern, String applyTo, int priority,
                     Map<String, Object> definition) {
    public static final Set<String> APPLY_TO = Set.of("queues", "exchanges", "all");

    public Policy {
        if (name == null || name.isEmpty()) {
            throw invalid("a policy needs a name");
        }
        if (pattern == null) {
            throw invalid("policy '" + name + "' needs a pattern");
        }
        applyTo = applyTo == null ? "all" : applyTo;
        if (!APPLY_TO.contains(applyTo)) {
            throw invalid("apply-to '" + applyTo + "' of policy '" + name + "' is not one of queues, exchanges, all");
        }
        definition = PolicyDefinition.validate(definition, name);
    }

    /** The compiled pattern; INVALID when it is not a regular expression. */
    public Pattern compiled() {
        return compile(pattern, name);
    }

    static Pattern compile(String pattern, String name) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw invalid("pattern '" + pattern + "' of policy '" + name + "' is not a regular expression: "
                    + e.getDescription());
        }
    }

    /** Whether it applies to queues at all. */
    public boolean appliesToQueues() {
        return !applyTo.equals("exchanges");
    }

    /** The definition as queue arguments ({@code x-message-ttl}...), without {@code trace}. */
    public Map<String, Object> queueArguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        definition.forEach((key, value) -> {
            if (!key.equals(PolicyDefinition.TRACE)) {
                arguments.put("x-" + key, value);
            }
        });
        return arguments;
    }

    /** Whether the definition turns message trace on for its queues. */
    public boolean trace() {
        return Boolean.TRUE.equals(definition.get(PolicyDefinition.TRACE));
    }

    private static BrokerException invalid(String why) {
        return new BrokerException(Condition.PRECONDITION_FAILED, why);
    }
}
