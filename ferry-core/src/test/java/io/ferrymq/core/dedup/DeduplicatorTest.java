package io.ferrymq.core.dedup;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Message;
import io.ferrymq.core.persist.Persistence;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeduplicatorTest {

    private static Message withId(String id) {
        return new Message("", "q", new MessageProperties(null, null, null, null, null, null, null, null, id, null,
                null, null, null, null), new byte[0]);
    }

    private static Message withHeader(Object key, String id) {
        return new Message("", "q", new MessageProperties(null, null, Map.of(DedupKey.HEADER, key), null, null,
                null, null, null, id, null, null, null, null, null), new byte[0]);
    }

    private static boolean duplicate(Deduplicator window, Message message, long now) {
        Deduplicator.Admission admission = window.admit(message, now);
        return admission != null && admission.duplicate();
    }

    @Test
    void theKeyIsTheHeaderElseTheMessageId() {
        assertThat(DedupKey.of(withId("m"))).isEqualTo("m");
        assertThat(DedupKey.of(withHeader(LongString.of("h"), "m"))).isEqualTo("h");
        assertThat(DedupKey.of(withHeader(42, "m"))).isEqualTo("42");
        assertThat(DedupKey.of(withId(null))).isNull();
    }

    @Test
    void aKeyLeavesTheWindowWhenItIsFullOrItsTimeIsUp() {
        Deduplicator window = new Deduplicator(new DedupSettings(2, 1_000), Persistence.NONE);
        assertThat(duplicate(window, withId("a"), 0)).isFalse();
        assertThat(duplicate(window, withId("a"), 999)).isTrue();
        assertThat(duplicate(window, withId("a"), 1_000)).as("a's time is up").isFalse();
        assertThat(duplicate(window, withId("b"), 1_100)).isFalse();
        assertThat(duplicate(window, withId("c"), 1_200)).isFalse(); // the window is full: a, the oldest, leaves
        assertThat(duplicate(window, withId("a"), 1_300)).isFalse();
        assertThat(duplicate(window, withId("c"), 1_300)).isTrue();
        assertThat(window.admit(withId(null), 1_300)).as("no key: never a duplicate").isNull();
        assertThat(window.size()).isEqualTo(2);
    }

    @Test
    void aForgottenKeyIsNoDuplicate() {
        Deduplicator window = new Deduplicator(new DedupSettings(10, 0), Persistence.NONE);
        Deduplicator.Admission admission = window.admit(withId("a"), 0);
        window.forget(admission);
        assertThat(duplicate(window, withId("a"), 0)).isFalse();
        assertThat(duplicate(window, withId("a"), Long.MAX_VALUE / 2)).as("no ttl: kept until evicted").isTrue();
    }

    @Test
    void settingsAreValidatedNamingTheArgument() {
        String owner = "queue 'q' in vhost '/'";
        assertThat(DedupSettings.parse(Map.of(), owner)).isNull();
        assertThat(DedupSettings.parse(Map.of("x-message-deduplication", false), owner)).isNull();
        assertThat(DedupSettings.parse(Map.of("x-message-deduplication", true), owner))
                .isEqualTo(new DedupSettings(DedupSettings.DEFAULT_CACHE_SIZE, 0));
        assertThat(DedupSettings.parse(Map.of("x-message-deduplication", true, "x-cache-size", 5,
                "x-cache-ttl", 100L), owner)).isEqualTo(new DedupSettings(5, 100));
        for (Map<String, Object> bad : new Map[]{
                Map.of("x-message-deduplication", "true"),
                Map.of("x-message-deduplication", true, "x-cache-size", 0),
                Map.of("x-message-deduplication", true, "x-cache-size", "10"),
                Map.of("x-message-deduplication", true, "x-cache-ttl", -5),
                Map.of("x-message-deduplication", true, "x-cache-ttl", 0)}) {
            String named = bad.keySet().stream().filter(k -> !k.equals("x-message-deduplication")).findFirst()
                    .orElse("x-message-deduplication");
            assertThatThrownBy(() -> DedupSettings.parse(bad, owner)).isInstanceOf(BrokerException.class)
                    .hasMessageContaining("invalid arg '" + named + "'").hasMessageContaining(owner)
                    .satisfies(e -> assertThat(((BrokerException) e).condition())
                            .isEqualTo(Condition.PRECONDITION_FAILED));
        }
    }
}
