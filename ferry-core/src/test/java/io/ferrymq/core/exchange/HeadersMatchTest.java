package io.ferrymq.core.exchange;

import io.ferrymq.common.message.LongString;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadersMatchTest {

    static Stream<Arguments> table() {
        Map<String, Object> fmtPdf = Map.of("format", "pdf", "type", "report");
        return Stream.of(
                // binding args, message headers, matches
                Arguments.of(Map.of("format", "pdf"), fmtPdf, true),
                Arguments.of(Map.of("format", "pdf", "type", "log"), fmtPdf, false),
                Arguments.of(Map.of("x-match", "any", "format", "pdf", "type", "log"), fmtPdf, true),
                Arguments.of(Map.of("x-match", "any", "format", "zip", "type", "log"), fmtPdf, false),
                Arguments.of(Map.of("x-match", "all"), fmtPdf, true),
                Arguments.of(Map.of(), Map.of(), true),
                Arguments.of(Map.of("x-match", "any"), fmtPdf, false),
                Arguments.of(Map.of("format", "pdf"), Map.of(), false),
                // numbers of different widths and LongString against String are the same value
                Arguments.of(Map.of("n", 7), Map.of("n", 7L), true),
                Arguments.of(Map.of("n", (short) 7), Map.of("n", (byte) 7), true),
                Arguments.of(Map.of("n", 7), Map.of("n", 8L), false),
                Arguments.of(Map.of("format", LongString.of("pdf")), fmtPdf, true),
                Arguments.of(Map.of("format", "pdf"), Map.of("format", LongString.of("pdf")), true),
                Arguments.of(Map.of("x-match", LongString.of("any"), "format", "pdf"), fmtPdf, true),
                // x- keys are ignored unless -with-x
                Arguments.of(Map.of("x-tenant", "a", "format", "pdf"), fmtPdf, true),
                Arguments.of(Map.of("x-match", "all-with-x", "x-tenant", "a", "format", "pdf"), fmtPdf, false),
                Arguments.of(Map.of("x-match", "all-with-x", "x-tenant", "a"), Map.of("x-tenant", "a"), true),
                Arguments.of(Map.of("x-match", "any", "x-tenant", "a"), Map.of("x-tenant", "a"), false),
                Arguments.of(Map.of("x-match", "any-with-x", "x-tenant", "a"), Map.of("x-tenant", "a"), true),
                Arguments.of(Map.of("x-match", "any-with-x", "x-tenant", "a", "k", "v"), Map.of("k", "w"), false));
    }

    @ParameterizedTest
    @MethodSource("table")
    void matchesAsRabbitMq(Map<String, Object> binding, Map<String, Object> headers, boolean expected) {
        assertThat(HeadersMatch.parse(binding, "binding").matches(headers)).isEqualTo(expected);
    }

    @Test
    void voidConditionAsksForPresenceOnly() {
        Map<String, Object> binding = new HashMap<>();
        binding.put("trace", null);
        HeadersMatch match = HeadersMatch.parse(binding, "binding");
        assertThat(match.matches(Map.of("trace", 1))).isTrue();
        assertThat(match.matches(Map.of("other", 1))).isFalse();
        assertThat(match.matches(null)).isFalse();
    }

    @Test
    void nullHeadersMatchAnEmptyAllBinding() {
        assertThat(HeadersMatch.parse(null, "binding").matches(null)).isTrue();
    }

    @Test
    void unknownXMatchIsRefused() {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("x-match", "most");
        assertThatThrownBy(() -> HeadersMatch.parse(binding, "binding of queue 'q'"))
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("'most'").hasMessageContaining("all, any, all-with-x or any-with-x")
                .satisfies(e -> assertThat(((BrokerException) e).condition()).isEqualTo(Condition.PRECONDITION_FAILED));
    }
}
