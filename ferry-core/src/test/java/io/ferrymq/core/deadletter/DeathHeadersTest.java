package io.ferrymq.core.deadletter;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeathHeadersTest {
    private static final long NOW = 1_700_000_123_456L;

    private static Message published() {
        return new Message("orders", "new", MessageProperties.EMPTY.withExpiration("60000")
                .withHeaders(Map.of("app", "x")), new byte[]{1});
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(Message message) {
        return (List<Map<String, Object>>) message.properties().headers().get(DeathHeaders.X_DEATH);
    }

    @Test
    void theFirstDeathWritesXDeathAndTheFirstDeathHeadersAsRabbitMqDoes() {
        Message dead = DeathHeaders.died(published(), "work", "expired", NOW, "dlx", null);

        assertThat(dead.exchange()).isEqualTo("dlx");
        assertThat(dead.routingKey()).isEqualTo("new");
        assertThat(dead.properties().expiration()).isNull();
        assertThat(dead.body()).containsExactly(1);
        Map<String, Object> headers = dead.properties().headers();
        assertThat(headers).containsEntry("app", "x")
                .containsEntry("x-first-death-reason", LongString.of("expired"))
                .containsEntry("x-first-death-queue", LongString.of("work"))
                .containsEntry("x-first-death-exchange", LongString.of("orders"))
                .containsEntry("x-last-death-reason", LongString.of("expired"));
        assertThat(deaths(dead)).singleElement().satisfies(death -> {
            assertThat(death).containsOnlyKeys("count", "reason", "queue", "time", "exchange", "routing-keys",
                    "original-expiration");
            assertThat(death.get("count")).isEqualTo(1L);
            assertThat(death.get("reason")).isEqualTo(LongString.of("expired"));
            assertThat(death.get("queue")).isEqualTo(LongString.of("work"));
            assertThat(death.get("time")).isEqualTo(Instant.ofEpochSecond(1_700_000_123L));
            assertThat(death.get("exchange")).isEqualTo(LongString.of("orders"));
            assertThat(death.get("routing-keys")).isEqualTo(List.of(LongString.of("new")));
            assertThat(death.get("original-expiration")).isEqualTo(LongString.of("60000"));
        });
    }

    @Test
    void aDeadLetterRoutingKeyReplacesTheKeyAndNoExpirationMeansNoOriginalExpiration() {
        Message plain = new Message("", "work", MessageProperties.EMPTY, new byte[0]);
        Message dead = DeathHeaders.died(plain, "work", "rejected", NOW, "dlx", "parked");
        assertThat(dead.routingKey()).isEqualTo("parked");
        assertThat(deaths(dead).get(0)).doesNotContainKey("original-expiration")
                .containsEntry("routing-keys", List.of(LongString.of("work")));
    }

    @Test
    void aRepeatedDeathCountsUpAndMovesToTheFrontKeepingTheFirstDeathHeaders() {
        Message once = DeathHeaders.died(published(), "work", "rejected", NOW, "dlx", "retry");
        Message twice = DeathHeaders.died(once, "retry", "expired", NOW + 5000, "", "work");
        Message thrice = DeathHeaders.died(twice, "work", "rejected", NOW + 9000, "dlx", "retry");

        List<Map<String, Object>> deaths = deaths(thrice);
        assertThat(deaths).extracting(d -> d.get("queue"), d -> d.get("reason"), d -> d.get("count"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LongString.of("work"), LongString.of("rejected"), 2L),
                        org.assertj.core.groups.Tuple.tuple(LongString.of("retry"), LongString.of("expired"), 1L));
        // the time and keys of the first such death stay
        assertThat(deaths.get(0).get("time")).isEqualTo(Instant.ofEpochSecond(1_700_000_123L));
        Map<String, Object> headers = thrice.properties().headers();
        assertThat(headers.get("x-first-death-queue")).isEqualTo(LongString.of("work"));
        assertThat(headers.get("x-first-death-reason")).isEqualTo(LongString.of("rejected"));
        assertThat(headers.get("x-last-death-queue")).isEqualTo(LongString.of("work"));
        assertThat(headers.get("x-last-death-reason")).isEqualTo(LongString.of("rejected"));
    }

    @Test
    void aCycleOfAutomaticDeathsIsACycleButARejectionBreaksIt() {
        Message expired = DeathHeaders.died(published(), "a", "expired", NOW, "", "b");
        // expired from a, now about to enter a again: nobody rejected it on the way
        assertThat(DeathHeaders.isCycle(expired, "expired", "a")).isTrue();
        assertThat(DeathHeaders.isCycle(expired, "expired", "b")).isFalse();

        Message viaB = DeathHeaders.died(expired, "b", "maxlen", NOW, "", "a");
        assertThat(DeathHeaders.isCycle(viaB, "maxlen", "a")).isTrue();

        Message rejectedInB = DeathHeaders.died(expired, "b", "rejected", NOW, "", "a");
        assertThat(DeathHeaders.isCycle(rejectedInB, "rejected", "a")).isFalse();
        Message thenExpiredInC = DeathHeaders.died(rejectedInB, "c", "expired", NOW, "", "a");
        assertThat(DeathHeaders.isCycle(thenExpiredInC, "expired", "a")).isFalse();
        assertThat(DeathHeaders.isCycle(thenExpiredInC, "expired", "c")).isTrue();
    }
}
