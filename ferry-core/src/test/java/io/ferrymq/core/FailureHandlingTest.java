package io.ferrymq.core;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.timer.ClockScheduler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.ferrymq.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Failure handling through the broker's sessions, driven by a fake clock and a scheduler run by hand. */
class FailureHandlingTest {
    private final ManualClock clock = new ManualClock();
    private final ClockScheduler scheduler = ClockScheduler.manual(clock);
    private final LocalBroker broker = new LocalBroker(new BrokerConfig("guest", "guest", 1L << 40, 1 << 20).withConsumerTimeout(60_000),
            clock, Persistence.NONE, scheduler);
    private final Session session = connect(broker, "c1").openSession();

    private void declare(String queue, Map<String, Object> arguments) {
        join(session.declareQueue(new QueueDeclaration(queue, false, false, false, false, arguments)));
    }

    private void pass(long ms) {
        clock.advance(ms);
        scheduler.runDue();
    }

    private PublishOutcome publish(String queue, String body, String expiration) {
        return join(session.publish(new PublishRequest(new Message("", queue,
                MessageProperties.EMPTY.withExpiration(expiration), body.getBytes(StandardCharsets.UTF_8)), false)));
    }

    private Delivery take(String queue) {
        return join(session.get(queue, true)).delivery();
    }

    private static Object header(Delivery delivery, String name) {
        return delivery.message().properties().headers().get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastDeath(Delivery delivery) {
        return ((List<Map<String, Object>>) header(delivery, "x-death")).get(0);
    }

    @Test
    void anExpiredMessageIsDeadLetteredOnTimeWhileOthersWaitBeforeIt() {
        declare("dead", Map.of());
        declare("work", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"));
        publish("work", "stays", null);
        publish("work", "short", "100");
        pass(100);
        assertThat(join(session.get("dead", true)).isEmpty()).isTrue();
        pass(1);
        Delivery dead = take("dead");
        assertThat(new String(dead.message().body())).isEqualTo("short");
        assertThat(lastDeath(dead)).containsEntry("reason", LongString.of("expired"))
                .containsEntry("queue", LongString.of("work"))
                .containsEntry("original-expiration", LongString.of("100"));
        assertThat(dead.message().properties().expiration()).isNull();
        assertThat(new String(take("work").message().body())).isEqualTo("stays");
        assertThat(broker.stats().deadLettered()).containsEntry("expired", 1L);
    }

    @Test
    void aRejectedMessageIsDeadLetteredAndARequeuedOneIsNot() {
        declare("dead", Map.of());
        declare("work", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"));
        publish("work", "a", null);
        publish("work", "b", null);
        Delivery a = join(session.get("work", false)).delivery();
        Delivery b = join(session.get("work", false)).delivery();
        session.settle(a.deliveryTag(), false, SettleOp.DISCARD);
        session.settle(b.deliveryTag(), false, SettleOp.REQUEUE);
        assertThat(lastDeath(take("dead"))).containsEntry("reason", LongString.of("rejected"));
        assertThat(join(session.get("dead", true)).isEmpty()).isTrue();
        assertThat(take("work").redelivered()).isTrue();
    }

    @Test
    void withoutADeadLetterExchangeALeavingMessageIsCounted() {
        declare("work", Map.of("x-max-length", 1));
        publish("work", "1", null);
        publish("work", "2", null);
        assertThat(broker.stats().lost()).containsEntry("maxlen", 1L);
    }

    @Test
    void rejectPublishNacksThePublisher() {
        declare("dead", Map.of());
        declare("full", Map.of("x-max-length", 1, "x-overflow", "reject-publish-dlx",
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"));
        assertThat(publish("full", "1", null)).isEqualTo(PublishOutcome.ROUTED);
        assertThat(publish("full", "2", null)).isEqualTo(PublishOutcome.REJECTED);
        assertThat(new String(take("dead").message().body())).isEqualTo("2");
        assertThat(new String(take("full").message().body())).isEqualTo("1");
    }

    @Test
    void anInvalidExpirationIsRefused() {
        declare("q", Map.of());
        String text = failure(Condition.PRECONDITION_FAILED, () -> publish("q", "x", "-5"));
        assertThat(text).contains("invalid expiration '-5'");
    }

    @Test
    void anUnusedQueueExpiresAndAUseStartsTheCountAgain() {
        declare("idle", Map.of("x-expires", 1000));
        pass(900);
        declare("idle", Map.of("x-expires", 1000));
        pass(900);
        assertThat(broker.virtualHost("/").existingQueue("idle")).isNotNull();
        pass(100);
        assertThat(broker.virtualHost("/").existingQueue("idle")).isNull();
    }

    @Test
    void aQueueWithAConsumerDoesNotExpire() {
        declare("used", Map.of("x-expires", 1000));
        String tag = consume(session, "used", new RecordingSink());
        pass(5000);
        assertThat(broker.virtualHost("/").existingQueue("used")).isNotNull();
        join(session.cancel(tag));
        pass(1000);
        assertThat(broker.virtualHost("/").existingQueue("used")).isNull();
    }

    @Test
    void anAckTimeoutEndsTheSessionNamingTagAndTimeoutAndItsMessagesComeBack() {
        declare("q", Map.of("x-consumer-timeout", 500));
        AtomicReference<BrokerException> closed = new AtomicReference<>();
        session.onClosedByBroker(closed::set);
        RecordingSink sink = new RecordingSink();
        consume(session, "q", sink);
        publish("q", "slow", null);
        pass(499);
        assertThat(closed.get()).isNull();
        pass(1);
        assertThat(closed.get().condition()).isEqualTo(Condition.PRECONDITION_FAILED);
        assertThat(closed.get().getMessage()).contains("delivery tag 1").contains("500 ms");
        session.close();
        Delivery again = join(connect(broker, "c2").openSession().get("q", true)).delivery();
        assertThat(again.redelivered()).isTrue();
    }

    @Test
    void theBrokerTimeoutAppliesWhenTheQueueSetsNone() {
        declare("q", Map.of());
        AtomicReference<BrokerException> closed = new AtomicReference<>();
        session.onClosedByBroker(closed::set);
        publish("q", "m", null);
        join(session.get("q", false));
        pass(59_999);
        assertThat(closed.get()).isNull();
        pass(1);
        assertThat(closed.get().getMessage()).contains("60000 ms");
    }

    @Test
    void aRetriedMessageComesBackOnlyAfterItsDelay() {
        declare("q", Map.of("x-retry-delay", 1000, "x-retry-multiplier", 2));
        RecordingSink sink = new RecordingSink();
        consume(session, "q", sink);
        publish("q", "m", null);
        session.settle(sink.last().deliveryTag(), false, SettleOp.REQUEUE);
        pass(999);
        assertThat(sink.count()).isEqualTo(1);
        pass(1);
        assertThat(sink.count()).isEqualTo(2);
        session.settle(sink.last().deliveryTag(), false, SettleOp.REQUEUE);
        pass(1999);
        assertThat(sink.count()).isEqualTo(2);
        pass(1);
        assertThat(sink.count()).isEqualTo(3);
        assertThat(sink.last().deliveryCount()).isEqualTo(2);
    }
}
