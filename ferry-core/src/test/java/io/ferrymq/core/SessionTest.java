package io.ferrymq.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class SessionTest {
    private final LocalBroker broker = broker(new ManualClock());
    private final BrokerConnection connection = connect(broker, "c1");
    private final Session session = connection.openSession();

    private void publishAll(String queue, String... bodies) {
        for (String body : bodies) {
            publish(session, "", queue, body);
        }
    }

    private String consumeWith(Session on, String queue, String tag, Map<String, Object> args, RecordingSink sink) {
        return join(on.consume(new ConsumeSpec(queue, tag, false, false, false, args), sink));
    }

    private BrokerView.QueueSnapshot snapshot(String queue) {
        return broker.queues().stream().filter(q -> q.name().equals(queue)).findFirst().orElseThrow();
    }

    @Test
    void perConsumerPrefetchAppliesToConsumersStartedAfterQos() {
        declareQueue(session, "q");
        RecordingSink unlimited = new RecordingSink();
        RecordingSink limited = new RecordingSink();
        consume(session, "q", unlimited);
        join(session.qos(2, false));
        consume(session, "q", limited);
        publishAll("q", "1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(limited.count()).isEqualTo(2);
        assertThat(unlimited.count()).isEqualTo(6);
        session.settle(limited.deliveries().get(0).deliveryTag(), false, SettleOp.ACK);
        publishAll("q", "9");
        assertThat(limited.count()).isEqualTo(3);
    }

    @Test
    void globalPrefetchIsSharedByTheSessionsConsumers() {
        declareQueue(session, "a");
        declareQueue(session, "b");
        join(session.qos(3, true));
        RecordingSink sinkA = new RecordingSink();
        RecordingSink sinkB = new RecordingSink();
        consume(session, "a", sinkA);
        consume(session, "b", sinkB);
        publishAll("a", "a1", "a2", "a3", "a4");
        publishAll("b", "b1", "b2");
        assertThat(sinkA.count() + sinkB.count()).isEqualTo(3);
        assertThat(sinkB.count()).isZero();
        // acking a message of queue a frees credit that queue b may use
        session.settle(sinkA.deliveries().get(0).deliveryTag(), false, SettleOp.ACK);
        assertThat(sinkA.count() + sinkB.count()).isEqualTo(4);
        // raising the limit lets both queues dispatch
        join(session.qos(0, true));
        assertThat(sinkA.count() + sinkB.count()).isEqualTo(6);
    }

    @Test
    void competingConsumersTakeTurns() {
        declareQueue(session, "q");
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        RecordingSink c = new RecordingSink();
        consume(session, "q", a);
        consume(session, "q", b);
        consume(connection.openSession(), "q", c);
        publishAll("q", "1", "2", "3", "4", "5", "6");
        assertThat(a.bodies()).containsExactly("1", "4");
        assertThat(b.bodies()).containsExactly("2", "5");
        assertThat(c.bodies()).containsExactly("3", "6");
    }

    @Test
    void higherPriorityConsumersFirstWhileTheyHaveCredit() {
        declareQueue(session, "q");
        join(session.qos(2, false));
        RecordingSink low = new RecordingSink();
        RecordingSink high1 = new RecordingSink();
        RecordingSink high2 = new RecordingSink();
        consumeWith(session, "q", "low", Map.of(), low);
        consumeWith(session, "q", "high1", Map.of("x-priority", 10), high1);
        consumeWith(session, "q", "high2", Map.of("x-priority", (short) 10), high2);
        publishAll("q", "1", "2", "3", "4", "5");
        assertThat(high1.bodies()).containsExactly("1", "3");
        assertThat(high2.bodies()).containsExactly("2", "4");
        assertThat(low.bodies()).containsExactly("5");
        failure(Condition.PRECONDITION_FAILED, () -> consumeWith(session, "q", "bad", Map.of("x-priority", "high"),
                new RecordingSink()));
    }

    @Test
    void consumersWithoutTransportCreditAreSkippedUntilResume() {
        declareQueue(session, "q");
        RecordingSink blocked = new RecordingSink();
        RecordingSink open = new RecordingSink();
        consume(session, "q", blocked);
        Session other = connection.openSession();
        consume(other, "q", open);
        blocked.credit(false);
        publishAll("q", "1", "2");
        assertThat(open.bodies()).containsExactly("1", "2");
        open.credit(false);
        publishAll("q", "3");
        assertThat(snapshot("q").messagesReady()).isEqualTo(1);
        blocked.credit(true);
        session.resume();
        assertThat(blocked.bodies()).containsExactly("3");
    }

    @Test
    void exclusiveConsumerKeepsOthersOut() {
        declareQueue(session, "q");
        consumeWith(session, "q", "first", Map.of(), new RecordingSink());
        ConsumeSpec exclusive = new ConsumeSpec("q", "solo", false, false, true, Map.of());
        assertThat(failure(Condition.ACCESS_REFUSED, () -> join(session.consume(exclusive, new RecordingSink()))))
                .contains("queue 'q' in vhost '/' in exclusive use");
        join(session.cancel("first"));
        join(session.consume(exclusive, new RecordingSink()));
        failure(Condition.ACCESS_REFUSED, () -> consume(connection.openSession(), "q", new RecordingSink()));
        join(session.cancel("solo"));
        consume(connection.openSession(), "q", new RecordingSink());
    }

    @Test
    void noAckDeliveriesAreSettledAtOnceAndIgnorePrefetch() {
        declareQueue(session, "q");
        join(session.qos(1, false));
        RecordingSink sink = new RecordingSink();
        join(session.consume(new ConsumeSpec("q", "fast", false, true, false, Map.of()), sink));
        publishAll("q", "1", "2", "3");
        assertThat(sink.bodies()).containsExactly("1", "2", "3");
        assertThat(snapshot("q").messagesUnacknowledged()).isZero();
        failure(Condition.PRECONDITION_FAILED, () -> session.settle(1, false, SettleOp.ACK));
        assertThat(broker.memoryUsedBytes()).isZero();
    }

    @Test
    void duplicateConsumerTagIsNotAllowed() {
        declareQueue(session, "q");
        consumeWith(session, "q", "t", Map.of(), new RecordingSink());
        assertThat(failure(Condition.NOT_ALLOWED, () -> consumeWith(session, "q", "t", Map.of(), new RecordingSink())))
                .contains("attempt to reuse consumer tag 't'");
        assertThat(snapshot("q").consumers()).isEqualTo(1);
        // another session may use the same tag
        consumeWith(connection.openSession(), "q", "t", Map.of(), new RecordingSink());
    }

    @Test
    void cancelStopsDeliveriesButLeavesUnackedMessagesToSettle() {
        declareQueue(session, "q");
        RecordingSink sink = new RecordingSink();
        String tag = consume(session, "q", sink);
        publishAll("q", "1");
        join(session.cancel(tag));
        publishAll("q", "2");
        assertThat(sink.bodies()).containsExactly("1");
        assertThat(snapshot("q").messagesUnacknowledged()).isEqualTo(1);
        session.settle(1, false, SettleOp.ACK);
        assertThat(snapshot("q").messagesUnacknowledged()).isZero();
        join(session.cancel("unknown-tag"));
    }

    @Test
    void closeRequeuesUnackedToTheirOriginalPlace() {
        declareQueue(session, "q");
        Session worker = connection.openSession();
        join(worker.qos(3, false));
        RecordingSink first = new RecordingSink();
        consume(worker, "q", first);
        publishAll("q", "1", "2", "3", "4", "5");
        worker.settle(2, false, SettleOp.ACK);
        assertThat(first.bodies()).containsExactly("1", "2", "3", "4");
        worker.close();
        assertThat(snapshot("q").messagesReady()).isEqualTo(4);
        RecordingSink second = new RecordingSink();
        consume(session, "q", second);
        assertThat(second.bodies()).containsExactly("1", "3", "4", "5");
        assertThat(second.deliveries()).extracting(Delivery::redelivered).containsExactly(true, true, true, false);
        assertThat(second.deliveries()).extracting(Delivery::deliveryCount).containsExactly(1, 1, 1, 0);
        failure(Condition.COMMAND_INVALID, () -> join(worker.get("q", false)));
    }

    @Test
    void requeueRejectAndRecover() {
        declareQueue(session, "q");
        publishAll("q", "1", "2", "3");
        RecordingSink sink = new RecordingSink();
        join(session.qos(1, false));
        consume(session, "q", sink);
        session.settle(1, false, SettleOp.REQUEUE);
        assertThat(sink.bodies()).containsExactly("1", "1");
        assertThat(sink.last().redelivered()).isTrue();
        session.settle(2, false, SettleOp.DISCARD);
        assertThat(sink.bodies()).containsExactly("1", "1", "2");
        join(session.recover(false));
        assertThat(sink.bodies()).containsExactly("1", "1", "2", "2");
        assertThat(sink.last().deliveryCount()).isEqualTo(1);
        assertThat(broker.stats().discarded()).isEqualTo(1);
        assertThat(broker.stats().redelivered()).isEqualTo(2);
    }

    @Test
    void getUsesTheSessionsTagsAndReportsWhatIsLeft() {
        declareQueue(session, "q");
        declareQueue(session, "other");
        RecordingSink sink = new RecordingSink();
        consume(session, "other", sink);
        publishAll("q", "1", "2", "3");
        publishAll("other", "x");
        GetResult got = join(session.get("q", false));
        assertThat(got.delivery().deliveryTag()).isEqualTo(2);
        assertThat(got.messageCount()).isEqualTo(2);
        GetResult noAck = join(session.get("q", true));
        assertThat(noAck.delivery().deliveryTag()).isEqualTo(3);
        assertThat(snapshot("q").messagesUnacknowledged()).isEqualTo(1);
        failure(Condition.PRECONDITION_FAILED, () -> session.settle(3, false, SettleOp.ACK));
        session.settle(2, false, SettleOp.REQUEUE);
        GetResult again = join(session.get("q", false));
        assertThat(new String(again.delivery().message().body())).isEqualTo("1");
        assertThat(again.delivery().redelivered()).isTrue();
        assertThat(again.messageCount()).isEqualTo(1);
        failure(Condition.NOT_FOUND, () -> join(session.get("missing", false)));
    }

    @Test
    void unknownOrSettledTagsAreRefused() {
        declareQueue(session, "q");
        publishAll("q", "1");
        join(session.get("q", false));
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> session.settle(7, false, SettleOp.ACK)))
                .isEqualTo("unknown delivery tag 7");
        session.settle(1, false, SettleOp.ACK);
        failure(Condition.PRECONDITION_FAILED, () -> session.settle(1, false, SettleOp.ACK));
        failure(Condition.PRECONDITION_FAILED, () -> session.settle(1, true, SettleOp.ACK));
        session.settle(0, true, SettleOp.ACK);
    }

    @Test
    void multipleSettlesEverythingUpToTheTag() {
        declareQueue(session, "q");
        RecordingSink sink = new RecordingSink();
        consume(session, "q", sink);
        publishAll("q", "1", "2", "3", "4", "5");
        session.settle(3, true, SettleOp.ACK);
        assertThat(snapshot("q").messagesUnacknowledged()).isEqualTo(2);
        failure(Condition.PRECONDITION_FAILED, () -> session.settle(2, false, SettleOp.ACK));
        session.settle(0, true, SettleOp.ACK);
        assertThat(snapshot("q").messagesUnacknowledged()).isZero();
        assertThat(broker.stats().acked()).isEqualTo(5);
    }

    @Test
    void transactionsBufferPublishesAndSettlesUntilCommit() {
        declareQueue(session, "q");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> join(session.txCommit())))
                .contains("channel is not transactional");
        failure(Condition.PRECONDITION_FAILED, () -> join(session.txRollback()));
        join(session.txSelect());
        CompletionStage<PublishOutcome> routed = session.publish(new PublishRequest(message("", "q", "1"), true));
        CompletionStage<PublishOutcome> unrouted = session.publish(new PublishRequest(message("", "none", "2"), true));
        assertThat(routed.toCompletableFuture()).isNotDone();
        assertThat(snapshot("q").messagesReady()).isZero();
        join(session.txCommit());
        assertThat(join(routed)).isEqualTo(PublishOutcome.ROUTED);
        assertThat(join(unrouted)).isEqualTo(PublishOutcome.UNROUTED);
        assertThat(snapshot("q").messagesReady()).isEqualTo(1);

        CompletionStage<PublishOutcome> discarded = session.publish(new PublishRequest(message("", "q", "3"), false));
        join(session.txRollback());
        assertThat(join(discarded)).isEqualTo(PublishOutcome.REJECTED);
        assertThat(snapshot("q").messagesReady()).isEqualTo(1);

        GetResult got = join(session.get("q", false));
        session.settle(got.delivery().deliveryTag(), false, SettleOp.ACK);
        assertThat(snapshot("q").messagesUnacknowledged()).isEqualTo(1);
        failure(Condition.PRECONDITION_FAILED, () -> session.settle(got.delivery().deliveryTag(), false, SettleOp.ACK));
        join(session.txRollback());
        assertThat(snapshot("q").messagesUnacknowledged()).isEqualTo(1);
        session.settle(got.delivery().deliveryTag(), false, SettleOp.ACK);
        join(session.txCommit());
        assertThat(snapshot("q").messagesUnacknowledged()).isZero();
    }

    @Test
    void closingATransactedSessionDropsItsPublishesAndRequeuesItsSettles() {
        declareQueue(session, "q");
        publishAll("q", "1");
        Session tx = connection.openSession();
        join(tx.txSelect());
        GetResult got = join(tx.get("q", false));
        tx.settle(got.delivery().deliveryTag(), false, SettleOp.ACK);
        CompletionStage<PublishOutcome> pending = tx.publish(new PublishRequest(message("", "q", "2"), false));
        tx.close();
        assertThat(join(pending)).isEqualTo(PublishOutcome.REJECTED);
        assertThat(snapshot("q").messagesReady()).isEqualTo(1);
        assertThat(snapshot("q").messagesUnacknowledged()).isZero();
    }

    @Test
    void autoDeleteQueueGoesWithItsLastConsumer() {
        join(session.declareQueue(new QueueDeclaration("auto", false, false, false, true, Map.of())));
        join(session.cancel("nothing"));
        assertThat(broker.queues()).hasSize(1);
        String first = consume(session, "auto", new RecordingSink());
        Session other = connection.openSession();
        consume(other, "auto", new RecordingSink());
        join(session.cancel(first));
        assertThat(broker.queues()).hasSize(1);
        other.close();
        assertThat(broker.queues()).isEmpty();
    }

    @Test
    void exclusiveQueuesBelongToTheirConnection() {
        QueueDeclaration exclusive = new QueueDeclaration("mine", false, false, true, false, Map.of());
        join(session.declareQueue(exclusive));
        publishAll("mine", "1");
        Session stranger = connect(broker, "c2").openSession();
        String locked = failure(Condition.RESOURCE_LOCKED, () -> join(stranger.declareQueue(exclusive)));
        assertThat(locked).contains("cannot obtain exclusive access to locked queue 'mine' in vhost '/'");
        failure(Condition.RESOURCE_LOCKED,
                () -> join(stranger.declareQueue(new QueueDeclaration("mine", true, false, false, false, Map.of()))));
        failure(Condition.RESOURCE_LOCKED, () -> consume(stranger, "mine", new RecordingSink()));
        failure(Condition.RESOURCE_LOCKED, () -> join(stranger.get("mine", false)));
        failure(Condition.RESOURCE_LOCKED, () -> join(stranger.purgeQueue("mine")));
        failure(Condition.RESOURCE_LOCKED, () -> join(stranger.deleteQueue("mine", false, false)));
        failure(Condition.RESOURCE_LOCKED, () -> join(stranger.bindQueue("mine", "amq.direct", "k", Map.of())));
        // the owner must redeclare it exclusive
        failure(Condition.RESOURCE_LOCKED,
                () -> join(session.declareQueue(new QueueDeclaration("mine", false, false, false, false, Map.of()))));
        // publishing to it from another connection is fine
        assertThat(publish(stranger, "", "mine", "2")).isEqualTo(PublishOutcome.ROUTED);
        join(connection.openSession().declareQueue(exclusive));
        connection.close();
        assertThat(broker.queues()).isEmpty();
        assertThat(broker.connectionCount()).isEqualTo(1);
        assertThat(broker.memoryUsedBytes()).isZero();
    }

    @Test
    void memoryAlarmBlocksAboveTheWatermarkAndReleasesBelow() {
        LocalBroker small = new LocalBroker(new BrokerConfig("guest", "guest", 100, 1000), new ManualClock());
        Session s = connect(small, "c").openSession();
        List<String> events = new ArrayList<>();
        small.addAlarmListener(new AlarmListener() {
            @Override
            public void blocked(String reason) {
                events.add("blocked: " + reason);
            }

            @Override
            public void unblocked() {
                events.add("unblocked");
            }
        });
        declareQueue(s, "q");
        publish(s, "", "q", "x".repeat(60));
        assertThat(events).isEmpty();
        publish(s, "", "q", "y".repeat(60));
        assertThat(events).singleElement().asString().startsWith("blocked: memory high watermark")
                .contains("publishers are blocked until consumers drain queues");
        assertThat(small.memoryAlarm()).isTrue();
        List<String> late = new ArrayList<>();
        small.addAlarmListener(new AlarmListener() {
            @Override
            public void blocked(String reason) {
                late.add("blocked");
            }

            @Override
            public void unblocked() {
                late.add("unblocked");
            }
        });
        assertThat(late).containsExactly("blocked");
        join(s.get("q", true));
        assertThat(events).hasSize(2).last().isEqualTo("unblocked");
        assertThat(late).containsExactly("blocked", "unblocked");
        assertThat(small.memoryUsedBytes()).isEqualTo(60);
    }

    @Test
    void shutdownCancelsConsumersAndClosesConnections() {
        declareQueue(session, "q");
        RecordingSink sink = new RecordingSink();
        String tag = consume(session, "q", sink);
        broker.shutdown();
        assertThat(sink.cancellations()).containsExactly(tag + ": the broker is shutting down");
        assertThat(broker.connectionCount()).isZero();
        failure(Condition.CONNECTION_FORCED, () -> connect(broker, "late"));
    }
}
