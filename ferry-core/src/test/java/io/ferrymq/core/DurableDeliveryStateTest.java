package io.ferrymq.core;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.core.timer.ClockScheduler;
import io.ferrymq.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** Delivery counts and retry due times of persistent messages survive restarts (fake clock, real journal). */
class DurableDeliveryStateTest {
    private static final BrokerConfig CONFIG = new BrokerConfig("guest", "guest", 1L << 40, 1 << 20);
    private static final StoreConfig STORE = StoreConfig.defaults().withSegmentBytes(1 << 20);
    private static final MessageProperties PERSISTENT = new MessageProperties(null, null, null, 2, null, null, null,
            null, null, null, null, null, null, null);

    private final ManualClock clock = new ManualClock();
    private final ClockScheduler scheduler = ClockScheduler.manual(clock);

    /** Starts a broker on the store in {@code dir}, runs {@code steps} with a session, shuts it down. */
    private void run(Path dir, Consumer<Session> steps) {
        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store, scheduler);
            scheduler.runDue();
            steps.accept(connect(broker, "c").openSession());
            broker.shutdown();
        }
    }

    private void pass(long ms) {
        clock.advance(ms);
        scheduler.runDue();
    }

    private static Delivery take(Session session) {
        GetResult got = join(session.get("work", false));
        return got.isEmpty() ? null : got.delivery();
    }

    private static Object count(Delivery delivery) {
        Map<String, Object> headers = delivery.message().properties().headers();
        return headers == null ? null : headers.get("x-delivery-count");
    }

    @Test
    void aWaitingRetryKeepsItsDueTimeAndCountAcrossRestarts(@TempDir Path dir) {
        run(dir, session -> {
            join(session.declareQueue(new QueueDeclaration("work", false, true, false, false,
                    Map.of("x-retry-delay", 10_000, "x-retry-multiplier", 2))));
            join(session.publish(new PublishRequest(new Message("", "work", PERSISTENT,
                    "job".getBytes(StandardCharsets.UTF_8)), false)));
            Delivery first = take(session);
            assertThat(count(first)).isNull();
            session.settle(first.deliveryTag(), false, SettleOp.REQUEUE);
            join(session.qos(0, false)); // a later reply: the failure is settled
        });
        clock.advance(5_000);
        run(dir, session -> {
            assertThat(take(session)).as("still waiting for its retry").isNull();
            pass(4_999);
            assertThat(take(session)).isNull();
            pass(1);
            Delivery second = take(session);
            assertThat(second).isNotNull();
            assertThat(second.redelivered()).isTrue();
            assertThat(count(second)).isEqualTo(1L);
            session.settle(second.deliveryTag(), false, SettleOp.REQUEUE); // now waits 20 s
            join(session.qos(0, false));
        });
        clock.advance(19_000);
        run(dir, session -> {
            assertThat(take(session)).isNull();
            pass(1_000);
            Delivery third = take(session);
            assertThat(count(third)).isEqualTo(2L);
            session.settle(third.deliveryTag(), false, SettleOp.ACK);
            join(session.qos(0, false));
        });
        run(dir, session -> assertThat(take(session)).isNull());
    }

    @Test
    void theDeliveryLimitCountsDeliveriesBeforeARestart(@TempDir Path dir) {
        run(dir, session -> {
            join(session.declareQueue(new QueueDeclaration("dead", false, true, false, false, Map.of())));
            join(session.declareQueue(new QueueDeclaration("work", false, true, false, false,
                    Map.of("x-delivery-limit", 2, "x-retry-delay", 1_000, "x-dead-letter-exchange", "",
                            "x-dead-letter-routing-key", "dead"))));
            join(session.publish(new PublishRequest(new Message("", "work", PERSISTENT,
                    "job".getBytes(StandardCharsets.UTF_8)), false)));
            session.settle(take(session).deliveryTag(), false, SettleOp.REQUEUE);
            pass(1_000);
            session.settle(take(session).deliveryTag(), false, SettleOp.REQUEUE);
            join(session.qos(0, false));
        });
        run(dir, session -> {
            pass(1_000);
            Delivery last = take(session);
            assertThat(count(last)).isEqualTo(2L);
            session.settle(last.deliveryTag(), false, SettleOp.REQUEUE);
            assertThat(join(session.get("dead", true)).isEmpty()).isFalse();
        });
    }
}
