package io.ferrymq.core;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.timer.ClockScheduler;
import io.ferrymq.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.failure;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** The delayed-message exchange, driven by a fake clock and a scheduler run by hand. */
class DelayedExchangeTest {
    private static final BrokerConfig CONFIG = new BrokerConfig("guest", "guest", 1L << 40, 1 << 20);

    private final ManualClock clock = new ManualClock();
    private final ClockScheduler scheduler = ClockScheduler.manual(clock);

    private void pass(long ms) {
        clock.advance(ms);
        scheduler.runDue();
    }

    private static void declareDelayed(Session session, String name, String routingType, boolean durable) {
        join(session.declareExchange(new ExchangeDeclaration(name, "x-delayed-message", false, durable, false,
                false, Map.of("x-delayed-type", LongString.of(routingType)))));
    }

    private static void declareQueue(Session session, String queue, boolean durable) {
        join(session.declareQueue(new QueueDeclaration(queue, false, durable, false, false, Map.of())));
    }

    private static PublishOutcome publish(Session session, String exchange, String key, String body, Object delay,
                                          boolean persistent) {
        Map<String, Object> headers = new HashMap<>();
        if (delay != null) {
            headers.put("x-delay", delay);
        }
        MessageProperties properties = MessageProperties.EMPTY.withHeaders(headers);
        if (persistent) {
            properties = new MessageProperties(null, null, headers, 2, null, null, null, null, null, null, null,
                    null, null, null);
        }
        return join(session.publish(new PublishRequest(new Message(exchange, key, properties,
                body.getBytes(StandardCharsets.UTF_8)), false)));
    }

    private static List<String> drain(Session session, String queue) {
        List<String> bodies = new ArrayList<>();
        GetResult got;
        while (!(got = join(session.get(queue, true))).isEmpty()) {
            bodies.add(new String(got.delivery().message().body(), StandardCharsets.UTF_8));
        }
        return bodies;
    }

    @Test
    void aMessageIsRoutedWhenItsDelayEndsAndKeepsTheHeaderNegated() {
        LocalBroker broker = new LocalBroker(CONFIG, clock, Persistence.NONE, scheduler);
        Session session = connect(broker, "c").openSession();
        declareDelayed(session, "later", "direct", false);
        declareQueue(session, "q", false);
        join(session.bindQueue("q", "later", "k", Map.of()));

        assertThat(publish(session, "later", "k", "m", 1000, false)).isEqualTo(PublishOutcome.ROUTED);
        pass(999);
        assertThat(join(session.get("q", true)).isEmpty()).isTrue();
        assertThat(broker.exchanges()).filteredOn(x -> x.name().equals("later"))
                .singleElement().satisfies(x -> {
                    assertThat(x.type()).isEqualTo("x-delayed-message");
                    assertThat(x.messagesDelayed()).isEqualTo(1);
                });
        pass(1);
        GetResult got = join(session.get("q", true));
        assertThat(new String(got.delivery().message().body(), StandardCharsets.UTF_8)).isEqualTo("m");
        assertThat(got.delivery().message().properties().headers()).containsEntry("x-delay", -1000);
        assertThat(got.delivery().message().exchange()).isEqualTo("later");
    }

    @Test
    void noPositiveDelayMeansAtOnceAndTiesLeaveInPublishOrder() {
        LocalBroker broker = new LocalBroker(CONFIG, clock, Persistence.NONE, scheduler);
        Session session = connect(broker, "c").openSession();
        declareDelayed(session, "later", "fanout", false);
        declareQueue(session, "q", false);
        join(session.bindQueue("q", "later", "", Map.of()));

        publish(session, "later", "", "absent", null, false);
        publish(session, "later", "", "zero", 0, false);
        publish(session, "later", "", "negative", -5L, false);
        publish(session, "later", "", "not a number", LongString.of("soon"), false);
        assertThat(drain(session, "q")).containsExactly("absent", "zero", "negative", "not a number");

        publish(session, "later", "", "b2", 200, false);
        publish(session, "later", "", "a1", LongString.of("100"), false);
        publish(session, "later", "", "b3", (short) 200, false);
        publish(session, "later", "", "a2", 100.7d, false);
        publish(session, "later", "", "b4", 200L, false);
        pass(100);
        assertThat(drain(session, "q")).containsExactly("a1", "a2");
        pass(100);
        assertThat(drain(session, "q")).containsExactly("b2", "b3", "b4");
    }

    @Test
    void topicAndHeadersRoutingTypesRouteWhenDue() {
        LocalBroker broker = new LocalBroker(CONFIG, clock, Persistence.NONE, scheduler);
        Session session = connect(broker, "c").openSession();
        declareDelayed(session, "topic-later", "topic", false);
        declareDelayed(session, "headers-later", "headers", false);
        declareQueue(session, "t", false);
        declareQueue(session, "h", false);
        join(session.bindQueue("t", "topic-later", "a.*", Map.of()));
        join(session.bindQueue("h", "headers-later", "", Map.of("x-match", LongString.of("all"),
                "kind", LongString.of("h"))));
        publish(session, "topic-later", "a.b", "topic", 50, false);
        publish(session, "topic-later", "b.b", "nowhere", 50, false);
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-delay", 50);
        headers.put("kind", LongString.of("h"));
        join(session.publish(new PublishRequest(new Message("headers-later", "",
                MessageProperties.EMPTY.withHeaders(headers), "headers".getBytes(StandardCharsets.UTF_8)), false)));
        pass(49);
        assertThat(drain(session, "t")).isEmpty();
        assertThat(drain(session, "h")).isEmpty();
        pass(1);
        assertThat(drain(session, "t")).containsExactly("topic");
        assertThat(drain(session, "h")).containsExactly("headers");
        assertThat(broker.stats().lost()).containsEntry("unroutable", 1L);
    }

    @Test
    void badDeclarationsAreRefusedAndRedeclaresMustMatch() {
        LocalBroker broker = new LocalBroker(CONFIG, clock, Persistence.NONE, scheduler);
        Session session = connect(broker, "c").openSession();
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> join(session.declareExchange(
                new ExchangeDeclaration("x", "x-delayed-message", false, false, false, false, Map.of())))))
                .contains("Invalid argument, 'x-delayed-type' must be an existing exchange type");
        Session again = connect(broker, "c2").openSession();
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> join(again.declareExchange(
                new ExchangeDeclaration("x", "x-delayed-message", false, false, false, false,
                        Map.of("x-delayed-type", LongString.of("x-delayed-message")))))))
                .contains("'x-delayed-type' must be an existing exchange type");
        Session third = connect(broker, "c3").openSession();
        declareDelayed(third, "x", "direct", false);
        declareDelayed(third, "x", "direct", false);
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declareDelayed(third, "x", "topic", false)))
                .contains("inequivalent arg 'x-delayed-type'");
    }

    @Test
    void transactionsAndExchangeToExchangeBindingsAreDelayedToo(@TempDir Path dir) {
        try (JournalPersistence store = JournalPersistence.at(dir, StoreConfig.defaults().withSegmentBytes(1 << 20))) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store, scheduler);
            Session session = connect(broker, "c").openSession();
            declareDelayed(session, "later", "direct", true);
            join(session.declareExchange(new ExchangeDeclaration("front", "fanout", false, true, false, false,
                    Map.of())));
            join(session.bindExchange("later", "front", "", Map.of()));
            declareQueue(session, "q", true);
            join(session.bindQueue("q", "later", "k", Map.of()));
            publish(session, "front", "k", "through front", 100, true);
            join(session.txSelect());
            var committed = session.publish(new PublishRequest(new Message("later", "k",
                    new MessageProperties(null, null, Map.of("x-delay", 100), 2, null, null, null, null, null, null,
                            null, null, null, null), "in a transaction".getBytes(StandardCharsets.UTF_8)), false));
            join(session.txCommit());
            assertThat(join(committed)).isEqualTo(PublishOutcome.ROUTED);
            pass(99);
            assertThat(drain(session, "q")).isEmpty();
            pass(1);
            assertThat(drain(session, "q")).containsExactly("through front", "in a transaction");
            broker.shutdown();
        }
    }

    @Test
    void manyMessagesDueAtOnceAllArriveInOrderWhileRoutingWaitsForTheStore(@TempDir Path dir) throws Exception {
        try (JournalPersistence store = JournalPersistence.at(dir, StoreConfig.defaults().withSegmentBytes(1 << 22))) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store, scheduler);
            Session session = connect(broker, "c").openSession();
            declareDelayed(session, "later", "fanout", true);
            declareQueue(session, "q", true);
            join(session.bindQueue("q", "later", "", Map.of()));
            int count = 6_000; // more than DelayedMessages routes before waiting for the store
            MessageProperties persistent = new MessageProperties(null, null, Map.of("x-delay", 1000), 2, null, null,
                    null, null, null, null, null, null, null, null);
            List<java.util.concurrent.CompletionStage<PublishOutcome>> confirms = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                confirms.add(session.publish(new PublishRequest(new Message("later", "", persistent,
                        Integer.toString(i).getBytes(StandardCharsets.UTF_8)), false)));
            }
            confirms.forEach(Fixtures::join);
            RecordingSink sink = new RecordingSink();
            join(session.consume(new ConsumeSpec("q", "", false, true, false, Map.of()), sink));
            pass(1000);
            // the store completes the routed copies on its own thread; each completion may re-arm the timer
            for (int rounds = 0; sink.bodies().size() < count && rounds < 20_000; rounds++) {
                scheduler.runDue();
                Thread.sleep(1);
            }
            List<String> received = sink.bodies();
            assertThat(received).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(received.get(i)).isEqualTo(Integer.toString(i));
            }
            broker.shutdown();
        }
    }

    @Test
    void deletingTheExchangeDropsWhatItHeld() {
        LocalBroker broker = new LocalBroker(CONFIG, clock, Persistence.NONE, scheduler);
        Session session = connect(broker, "c").openSession();
        declareDelayed(session, "later", "fanout", false);
        declareQueue(session, "q", false);
        join(session.bindQueue("q", "later", "", Map.of()));
        publish(session, "later", "", "m", 10, false);
        join(session.deleteExchange("later", false));
        pass(10);
        assertThat(drain(session, "q")).isEmpty();
    }

    @Test
    void persistentDelayedMessagesSurviveARestartAndThoseDueMeanwhileLeaveAtStart(@TempDir Path dir) {
        StoreConfig storeConfig = StoreConfig.defaults().withSegmentBytes(1 << 20);
        try (JournalPersistence store = JournalPersistence.at(dir, storeConfig)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store, scheduler);
            Session session = connect(broker, "c").openSession();
            declareDelayed(session, "later", "direct", true);
            declareQueue(session, "q", true);
            join(session.bindQueue("q", "later", "k", Map.of()));
            publish(session, "later", "k", "soon", 1000, true);
            publish(session, "later", "k", "transient", 1000, false);
            publish(session, "later", "k", "late", 5000, true);
            broker.shutdown();
        }
        clock.advance(2000);
        try (JournalPersistence store = JournalPersistence.at(dir, storeConfig)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store, scheduler);
            Session session = connect(broker, "c").openSession();
            scheduler.runDue();
            assertThat(drain(session, "q")).containsExactly("soon");
            pass(3000);
            assertThat(drain(session, "q")).containsExactly("late");
            broker.shutdown();
        }
        try (JournalPersistence store = JournalPersistence.at(dir, storeConfig)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store, scheduler);
            Session session = connect(broker, "c").openSession();
            pass(10_000);
            assertThat(drain(session, "q")).isEmpty();
            broker.shutdown();
        }
    }
}
