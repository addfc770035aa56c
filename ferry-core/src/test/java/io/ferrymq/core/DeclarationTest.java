package io.ferrymq.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.ferrymq.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class DeclarationTest {
    private final LocalBroker broker = broker(new ManualClock());
    private final Session session = connect(broker, "c1").openSession();

    private void exchange(String name, String type, boolean passive, boolean durable, Map<String, Object> args) {
        join(session.declareExchange(new ExchangeDeclaration(name, type, passive, durable, false, false, args)));
    }

    private QueueDeclareResult queue(String name, boolean passive, boolean durable, Map<String, Object> args) {
        return join(session.declareQueue(new QueueDeclaration(name, passive, durable, false, false, args)));
    }

    @Test
    void exchangeRedeclareMustBeEquivalent() {
        exchange("logs", "topic", false, true, Map.of());
        exchange("logs", "topic", false, true, Map.of());
        exchange("logs", "", true, false, Map.of());
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> exchange("logs", "fanout", false, true, Map.of())))
                .contains("inequivalent arg 'type' for exchange 'logs' in vhost '/': "
                        + "received 'fanout' but current is 'topic'");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> exchange("logs", "topic", false, false, Map.of())))
                .contains("inequivalent arg 'durable'");
        assertThat(failure(Condition.PRECONDITION_FAILED,
                () -> exchange("logs", "topic", false, true, Map.of("alternate-exchange", "ae"))))
                .contains("inequivalent arg 'alternate-exchange'");
    }

    @Test
    void exchangeErrors() {
        assertThat(failure(Condition.COMMAND_INVALID, () -> exchange("x", "x-nonsense", false, false, Map.of())))
                .contains("invalid exchange type 'x-nonsense'");
        assertThat(failure(Condition.NOT_FOUND, () -> exchange("missing", "direct", true, false, Map.of())))
                .isEqualTo("no exchange 'missing' in vhost '/'");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> exchange("amq.mine", "direct", false, false, Map.of())))
                .contains("amq.mine").contains("reserved prefix 'amq.*'");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> exchange("", "direct", false, false, Map.of())))
                .contains("default exchange");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> join(session.deleteExchange("amq.topic", false))))
                .contains("amq.topic");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> join(session.deleteExchange("", false))))
                .contains("default exchange");
        join(session.deleteExchange("never-declared", false));
    }

    @Test
    void predeclaredExchangesExistAndAcceptIdenticalRedeclare() {
        for (String name : new String[]{"amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match", ""}) {
            exchange(name, "", true, false, Map.of());
        }
        exchange("amq.direct", "direct", false, true, Map.of());
        exchange("amq.match", "headers", false, true, Map.of());
        failure(Condition.PRECONDITION_FAILED, () -> exchange("amq.direct", "direct", false, false, Map.of()));
        assertThat(broker.exchanges()).extracting(BrokerView.ExchangeSnapshot::name)
                .contains("", "amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match");
    }

    @Test
    void defaultExchangeTakesNoBindings() {
        declareQueue(session, "q");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> join(session.bindQueue("q", "", "q", Map.of()))))
                .contains("default exchange");
        failure(Condition.ACCESS_REFUSED, () -> join(session.unbindQueue("q", "", "q", Map.of())));
        failure(Condition.ACCESS_REFUSED, () -> join(session.bindExchange("amq.direct", "", "k", Map.of())));
        failure(Condition.ACCESS_REFUSED, () -> join(session.bindExchange("", "amq.direct", "k", Map.of())));
    }

    @Test
    void deleteIfUnusedRefusesAnExchangeWithBindings() {
        exchange("x", "direct", false, false, Map.of());
        declareQueue(session, "q");
        join(session.bindQueue("q", "x", "k", Map.of()));
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> join(session.deleteExchange("x", true))))
                .contains("exchange 'x' in vhost '/' in use");
        join(session.unbindQueue("q", "x", "k", Map.of()));
        join(session.deleteExchange("x", true));
        failure(Condition.NOT_FOUND, () -> exchange("x", "", true, false, Map.of()));
    }

    @Test
    void serverNamedQueues() {
        String name = queue("", false, false, Map.of()).queue();
        assertThat(name).matches("amq\\.gen-[A-Za-z0-9_-]{22}");
        assertThat(queue("", false, false, Map.of()).queue()).isNotEqualTo(name);
    }

    @Test
    void queueRedeclareMustBeEquivalent() {
        queue("q", false, true, Map.of("x-max-length", 10));
        queue("q", false, true, Map.of("x-max-length", 10L));
        queue("q", true, false, Map.of());
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> queue("q", false, true, Map.of("x-max-length", 20))))
                .startsWith("inequivalent arg 'x-max-length' for queue 'q' in vhost '/': "
                        + "received 20 but current is 10");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> queue("q", false, true, Map.of())))
                .contains("received none but current is 10");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> queue("q", false, false, Map.of("x-max-length", 10))))
                .contains("inequivalent arg 'durable' for queue 'q' in vhost '/': "
                        + "received 'false' but current is 'true'")
                .contains("redeclare with the same properties or delete it first");
        // arguments other than x- are not compared, as in RabbitMQ
        queue("q", false, true, Map.of("x-max-length", 10, "note", "anything"));
    }

    @Test
    void queueTypes() {
        queue("c", false, false, Map.of("x-queue-type", "classic"));
        queue("c", false, false, Map.of());
        assertThat(failure(Condition.PRECONDITION_FAILED,
                () -> queue("lazy", false, true, Map.of("x-queue-type", "lazy"))))
                .isEqualTo("unknown x-queue-type 'lazy' for queue 'lazy' in vhost '/': supported types are "
                        + "[classic, quorum]");
        assertThat(broker.queues()).extracting(BrokerView.QueueSnapshot::type).containsExactly("classic");
    }

    @Test
    void queueErrors() {
        assertThat(failure(Condition.NOT_FOUND, () -> queue("missing", true, false, Map.of())))
                .isEqualTo("no queue 'missing' in vhost '/'");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> queue("amq.q", false, false, Map.of())))
                .contains("reserved prefix 'amq.*'");
        queue("x".repeat(255), false, false, Map.of());
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> queue("é".repeat(128), false, false, Map.of())))
                .contains("256 bytes");
        assertThat(failure(Condition.NOT_FOUND, () -> join(connect(broker, "c2").openSession().purgeQueue(""))))
                .contains("no previously declared queue");
        assertThat(join(session.deleteQueue("never-declared", false, false))).isZero();
    }

    @Test
    void emptyNameMeansTheLastDeclaredQueue() {
        String name = queue("", false, false, Map.of()).queue();
        join(session.bindQueue("", "amq.direct", "", Map.of()));
        assertThat(publish(session, "amq.direct", name, "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(queue("", true, false, Map.of()).messageCount()).isEqualTo(1);
        assertThat(join(session.purgeQueue(""))).isEqualTo(1);
        assertThat(join(session.deleteQueue("", false, false))).isZero();
        assertThat(broker.queues()).isEmpty();
    }

    @Test
    void deleteQueueChecksConditionsCancelsConsumersAndRemovesBindings() {
        declareQueue(session, "q");
        join(session.bindQueue("q", "amq.fanout", "", Map.of()));
        publish(session, "", "q", "ready");
        RecordingSink sink = new RecordingSink();
        String tag = consume(session, "q", sink);
        publish(session, "", "q", "also");
        join(session.cancel(tag));
        session.settle(0, true, SettleOp.REQUEUE);
        RecordingSink stalled = new RecordingSink();
        stalled.credit(false);
        String tag2 = join(session.consume(new ConsumeSpec("q", "watcher", false, false, false, Map.of()), stalled));
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> join(session.deleteQueue("q", true, false))))
                .contains("in use");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> join(session.deleteQueue("q", false, true))))
                .contains("not empty");
        assertThat(join(session.deleteQueue("q", false, false))).isEqualTo(2);
        assertThat(broker.queues()).isEmpty();
        assertThat(tag2).isEqualTo("watcher");
        assertThat(publish(session, "amq.fanout", "", "m")).isEqualTo(PublishOutcome.UNROUTED);
        assertThat(broker.memoryUsedBytes()).isZero();
    }

    @Test
    void deletedQueueCancelsItsConsumersThroughTheirSinks() {
        Session owner = connect(broker, "c2").openSession();
        declareQueue(session, "q");
        RecordingSink sink = new RecordingSink();
        String tag = consume(owner, "q", sink);
        join(session.deleteQueue("q", false, false));
        assertThat(sink.cancellations()).containsExactly(tag + ": queue 'q' in vhost '/' was deleted");
        // the tag is free again and cancelling it is harmless
        join(owner.cancel(tag));
    }

    @Test
    void purgeLeavesUnackedMessagesAlone() {
        declareQueue(session, "q");
        publish(session, "", "q", "a");
        publish(session, "", "q", "b");
        publish(session, "", "q", "c");
        join(session.get("q", false));
        assertThat(join(session.purgeQueue("q"))).isEqualTo(2);
        assertThat(broker.queues().get(0).messagesUnacknowledged()).isEqualTo(1);
        assertThat(broker.memoryUsedBytes()).isEqualTo(1);
    }
}
