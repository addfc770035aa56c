package io.ferrymq.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.ferrymq.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {
    private final LocalBroker broker = broker(new ManualClock());
    private final Session session = connect(broker, "c1").openSession();

    private void exchange(String name, String type, Map<String, Object> args) {
        join(session.declareExchange(new ExchangeDeclaration(name, type, false, false, false, false, args)));
    }

    private void exchange(String name, String type, boolean autoDelete, boolean internal) {
        join(session.declareExchange(
                new ExchangeDeclaration(name, type, false, false, autoDelete, internal, Map.of())));
    }

    private void bind(String queue, String exchange, String key) {
        join(session.bindQueue(queue, exchange, key, Map.of()));
    }

    private int ready(String queue) {
        return broker.queues().stream().filter(q -> q.name().equals(queue)).findFirst().orElseThrow().messagesReady();
    }

    @Test
    void directFanoutTopicAndHeaders() {
        declareQueue(session, "a");
        declareQueue(session, "b");
        bind("a", "amq.direct", "k1");
        bind("b", "amq.direct", "k2");
        bind("a", "amq.fanout", "");
        bind("b", "amq.fanout", "");
        bind("a", "amq.topic", "stock.*.nyse");
        bind("b", "amq.topic", "stock.#");
        join(session.bindQueue("a", "amq.headers", "", Map.of("x-match", "any", "color", "red", "size", 3)));
        assertThat(publish(session, "amq.direct", "k1", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(publish(session, "amq.direct", "k3", "m")).isEqualTo(PublishOutcome.UNROUTED);
        publish(session, "amq.fanout", "anything", "m");
        publish(session, "amq.topic", "stock.ibm.nyse", "m");
        publish(session, "amq.topic", "stock", "m");
        join(session.publish(new PublishRequest(message("amq.headers", "", Map.of("size", 3L)), true)));
        assertThat(ready("a")).isEqualTo(4);
        assertThat(ready("b")).isEqualTo(3);
    }

    @Test
    void exchangeToExchangeBindingsAndCyclesDeliverOnce() {
        exchange("x1", "topic", Map.of());
        exchange("x2", "fanout", Map.of());
        declareQueue(session, "q");
        join(session.bindExchange("x2", "x1", "orders.#", Map.of()));
        join(session.bindExchange("x1", "x2", "", Map.of()));
        bind("q", "x1", "orders.*");
        bind("q", "x2", "");
        assertThat(publish(session, "x1", "orders.new", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(publish(session, "x2", "whatever", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(ready("q")).isEqualTo(2);
        assertThat(publish(session, "x1", "audit", "m")).isEqualTo(PublishOutcome.UNROUTED);
    }

    @Test
    void alternateExchangesTakeUnroutedMessagesRecursivelyAndOnce() {
        exchange("ae2", "fanout", Map.of());
        exchange("ae1", "direct", Map.of("alternate-exchange", "ae2"));
        exchange("main", "direct", Map.of("alternate-exchange", "ae1"));
        // a cycle of alternates back to main
        exchange("loop", "direct", Map.of("alternate-exchange", "main"));
        join(session.bindExchange("loop", "ae2", "", Map.of()));
        declareQueue(session, "matched");
        declareQueue(session, "unrouted");
        bind("matched", "main", "k");
        bind("unrouted", "ae2", "");
        bind("unrouted", "ae1", "special");
        publish(session, "main", "k", "m");
        assertThat(ready("matched")).isEqualTo(1);
        assertThat(ready("unrouted")).isZero();
        assertThat(publish(session, "main", "other", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(publish(session, "main", "special", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(ready("unrouted")).isEqualTo(2);
        assertThat(publish(session, "loop", "k", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(ready("matched")).isEqualTo(2);
        // an alternate that does not exist is skipped
        exchange("dangling", "direct", Map.of("alternate-exchange", "nobody"));
        assertThat(publish(session, "dangling", "k", "m")).isEqualTo(PublishOutcome.UNROUTED);
    }

    @Test
    void aQueueReachedDirectlyAndThroughAnAlternateGetsOneCopy() {
        exchange("z", "fanout", Map.of());
        exchange("y", "direct", Map.of("alternate-exchange", "z"));
        exchange("x", "fanout", Map.of());
        declareQueue(session, "q");
        join(session.bindExchange("y", "x", "", Map.of()));
        bind("q", "x", "");
        bind("q", "z", "");
        assertThat(publish(session, "x", "unmatched-in-y", "m")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(ready("q")).isEqualTo(1);
    }

    @Test
    void internalExchangesOnlyTakeMessagesFromOtherExchanges() {
        exchange("inner", "fanout", false, true);
        declareQueue(session, "q");
        bind("q", "inner", "");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> publish(session, "inner", "", "m")))
                .contains("cannot publish to internal exchange 'inner'");
        join(session.bindExchange("inner", "amq.fanout", "", Map.of()));
        assertThat(publish(session, "amq.fanout", "", "m")).isEqualTo(PublishOutcome.ROUTED);
    }

    @Test
    void autoDeleteExchangeGoesWithItsLastBinding() {
        exchange("temp", "direct", true, false);
        declareQueue(session, "q1");
        declareQueue(session, "q2");
        bind("q1", "temp", "k");
        bind("q2", "temp", "k");
        join(session.unbindQueue("q1", "temp", "k", Map.of()));
        ExchangeDeclaration passive = new ExchangeDeclaration("temp", "", true, false, false, false, Map.of());
        join(session.declareExchange(passive));
        join(session.deleteQueue("q2", false, false));
        failure(Condition.NOT_FOUND, () -> join(session.declareExchange(passive)));
    }

    @Test
    void deletingAnExchangeRemovesBindingsFromAndToIt() {
        exchange("x1", "fanout", Map.of());
        exchange("x2", "fanout", Map.of());
        declareQueue(session, "q");
        join(session.bindExchange("x2", "x1", "", Map.of()));
        bind("q", "x2", "");
        join(session.deleteExchange("x2", false));
        assertThat(publish(session, "x1", "", "m")).isEqualTo(PublishOutcome.UNROUTED);
        exchange("x2", "fanout", Map.of());
        assertThat(publish(session, "x2", "", "m")).isEqualTo(PublishOutcome.UNROUTED);
        assertThat(broker.virtualHost("/").bindings()).isEmpty();
    }

    @Test
    void bindingsAreIdempotentAndIdentifiedByArguments() {
        declareQueue(session, "q");
        bind("q", "amq.direct", "k");
        bind("q", "amq.direct", "k");
        join(session.bindQueue("q", "amq.direct", "k", Map.of("tag", 1)));
        assertThat(broker.virtualHost("/").bindings()).hasSize(2);
        publish(session, "amq.direct", "k", "m");
        assertThat(ready("q")).isEqualTo(1);
        join(session.unbindQueue("q", "amq.direct", "k", Map.of("tag", 1L)));
        assertThat(broker.virtualHost("/").bindings()).hasSize(1);
        join(session.unbindQueue("q", "amq.direct", "no-such-key", Map.of()));
        failure(Condition.NOT_FOUND, () -> join(session.bindQueue("q", "missing", "k", Map.of())));
        failure(Condition.NOT_FOUND, () -> join(session.bindQueue("missing", "amq.direct", "k", Map.of())));
        failure(Condition.PRECONDITION_FAILED,
                () -> join(session.bindQueue("q", "amq.headers", "", Map.of("x-match", "some"))));
    }

    @Test
    void publishErrors() {
        assertThat(failure(Condition.NOT_FOUND, () -> publish(session, "missing", "k", "m")))
                .isEqualTo("no exchange 'missing' in vhost '/'");
        String big = "x".repeat(1024 * 1024 + 1);
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> publish(session, "", "q", big)))
                .isEqualTo("message size 1048577 is larger than configured max size 1048576");
    }
}
