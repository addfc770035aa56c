package io.ferrymq.core.queue;

import io.ferrymq.common.message.LongString;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class QueueArgumentsTest {

    private static QueueArguments read(Map<String, Object> arguments) {
        return QueueArguments.of(new QueueSettings("/", "q", "classic", false, 0, false, arguments));
    }

    private static String refusal(Map<String, Object> arguments) {
        BrokerException e = catchThrowableOfType(() -> read(arguments), BrokerException.class);
        assertThat(e).isNotNull();
        assertThat(e.condition()).isEqualTo(Condition.PRECONDITION_FAILED);
        return e.getMessage();
    }

    @Test
    void absentArgumentsAreTheDefaults() {
        assertThat(read(Map.of())).isEqualTo(QueueArguments.DEFAULTS);
    }

    @Test
    void readsEveryArgumentInAnyIntegerWidthAndStringForm() {
        QueueArguments read = read(Map.ofEntries(
                Map.entry("x-message-ttl", 1000), Map.entry("x-expires", 60_000L),
                Map.entry("x-dead-letter-exchange", LongString.of("dlx")),
                Map.entry("x-dead-letter-routing-key", "dead"),
                Map.entry("x-max-length", (short) 10), Map.entry("x-max-length-bytes", 4096L),
                Map.entry("x-overflow", "reject-publish-dlx"), Map.entry("x-delivery-limit", (byte) 3),
                Map.entry("x-consumer-timeout", 5000), Map.entry("x-retry-delay", 100),
                Map.entry("x-retry-multiplier", 2.5), Map.entry("x-retry-max-delay", 10_000)));
        assertThat(read).isEqualTo(new QueueArguments(1000, 60_000, "dlx", "dead", 10, 4096,
                Overflow.REJECT_PUBLISH_DLX, 3, 5000, 100, 2.5, 10_000));
    }

    @Test
    void negativeTtlIsRefusedNamingTheArgument() {
        assertThat(refusal(Map.of("x-message-ttl", -1)))
                .isEqualTo("invalid arg 'x-message-ttl' -1 for queue 'q' in vhost '/': -1 is negative; use 0 or more");
    }

    @Test
    void unknownOverflowIsRefusedListingTheValidOnes() {
        assertThat(refusal(Map.of("x-overflow", "drop-tail")))
                .startsWith("invalid arg 'x-overflow' 'drop-tail' for queue 'q' in vhost '/'")
                .contains("drop-head, reject-publish, reject-publish-dlx");
    }

    @Test
    void wrongTypesAreRefusedNamingTheArgument() {
        assertThat(refusal(Map.of("x-max-length", "10"))).startsWith("invalid arg 'x-max-length'")
                .contains("must be an integer");
        assertThat(refusal(Map.of("x-dead-letter-exchange", 5))).startsWith("invalid arg 'x-dead-letter-exchange'")
                .contains("must be a string");
        assertThat(refusal(Map.of("x-overflow", true))).startsWith("invalid arg 'x-overflow'");
        assertThat(refusal(Map.of("x-retry-delay", 10, "x-retry-multiplier", "2")))
                .startsWith("invalid arg 'x-retry-multiplier'");
    }

    @Test
    void zeroIsRefusedWhereOnlyPositiveValuesMakeSense() {
        assertThat(refusal(Map.of("x-expires", 0))).startsWith("invalid arg 'x-expires' 0");
        assertThat(refusal(Map.of("x-consumer-timeout", 0))).startsWith("invalid arg 'x-consumer-timeout' 0");
        assertThat(read(Map.of("x-message-ttl", 0, "x-max-length", 0)).maxLength()).isZero();
    }

    @Test
    void dependentArgumentsNeedTheirBase() {
        assertThat(refusal(Map.of("x-dead-letter-routing-key", "k")))
                .contains("x-dead-letter-routing-key").contains("needs x-dead-letter-exchange");
        assertThat(refusal(Map.of("x-retry-multiplier", 2))).contains("needs x-retry-delay");
        assertThat(refusal(Map.of("x-retry-delay", 100, "x-retry-max-delay", 50))).contains("below x-retry-delay");
        assertThat(refusal(Map.of("x-retry-delay", 100, "x-retry-multiplier", 0.5))).contains("below 1");
    }
}
