package io.ferrymq.it;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Priority queues, single active consumer and message groups with the RabbitMQ Java client (docs/ORDERING.md),
 * and the 406 a bad ordering argument gets.
 */
class OrderingIT extends WithConnection {

    private static AMQP.BasicProperties priority(Integer priority) {
        return new AMQP.BasicProperties.Builder().priority(priority).build();
    }

    private static AMQP.BasicProperties group(String group) {
        return new AMQP.BasicProperties.Builder().headers(Map.of("x-group-id", group)).build();
    }

    private static List<String> bodies(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> str(d.getBody())).toList();
    }

    @Test
    void aPriorityQueueDeliversHigherPrioritiesFirstAndCapsAtItsMaximum() throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("prio");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", 5));
        ch.confirmSelect();
        ch.basicPublish("", q, priority(null), utf8("none-1"));
        ch.basicPublish("", q, priority(2), utf8("two-1"));
        ch.basicPublish("", q, priority(200), utf8("max-1"));
        ch.basicPublish("", q, priority(5), utf8("max-2"));
        ch.basicPublish("", q, priority(2), utf8("two-2"));
        ch.basicPublish("", q, priority(0), utf8("none-2"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, true, recorder);
        assertThat(bodies(recorder.next(6))).containsExactly("max-1", "max-2", "two-1", "two-2", "none-1", "none-2");
    }

    @Test
    void aNackedPriorityMessageReturnsToItsPlaceWithinItsPriority() throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("prio");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", 3));
        ch.confirmSelect();
        ch.basicPublish("", q, priority(1), utf8("low"));
        ch.basicPublish("", q, priority(3), utf8("high-1"));
        ch.basicPublish("", q, priority(3), utf8("high-2"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        long first = ch.basicGet(q, false).getEnvelope().getDeliveryTag();
        ch.basicNack(first, false, true);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, true, recorder);
        List<Delivery> all = recorder.next(3);
        assertThat(bodies(all)).containsExactly("high-1", "high-2", "low");
        assertThat(all.get(0).getEnvelope().isRedeliver()).isTrue();
    }

    @Test
    void aSingleActiveConsumerQueueServesOneConsumerAndFailsOverWithItsUnackedFirst() throws Exception {
        Channel setup = conn.createChannel();
        String q = unique("sac");
        setup.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", true));
        Connection firstConn = Amqp.connect(broker);
        Channel first = firstConn.createChannel();
        first.basicQos(3);
        Recorder active = new Recorder(first);
        first.basicConsume(q, false, active);
        Channel second = conn.createChannel();
        Recorder standby = new Recorder(second);
        String standbyTag = second.basicConsume(q, false, standby);
        assertThat(standby.consumeOk.get()).as("an inactive consumer gets its consume-ok").isEqualTo(standbyTag);
        for (int i = 1; i <= 6; i++) {
            setup.basicPublish("", q, null, utf8("m" + i));
        }
        assertThat(bodies(active.next(3))).containsExactly("m1", "m2", "m3");
        first.basicAck(active.all.get(0).getEnvelope().getDeliveryTag(), false);
        assertThat(str(active.next().getBody())).isEqualTo("m4");
        assertThat(standby.count()).isZero();
        firstConn.close();
        List<Delivery> takenOver = standby.next(5);
        assertThat(bodies(takenOver)).containsExactly("m2", "m3", "m4", "m5", "m6");
        assertThat(takenOver.subList(0, 3)).allMatch(d -> d.getEnvelope().isRedeliver());
        assertThat(takenOver.get(3).getEnvelope().isRedeliver()).isFalse();
    }

    @Test
    void aHigherPrioritySingleActiveConsumerTakesOverOnceTheActiveOneAckedEverything() throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("sac");
        ch.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", true));
        ch.basicQos(1);
        Recorder low = new Recorder(ch);
        ch.basicConsume(q, false, low);
        ch.basicPublish("", q, null, utf8("a"));
        ch.basicPublish("", q, null, utf8("b"));
        Delivery a = low.next();
        Channel other = conn.createChannel();
        Recorder high = new Recorder(other);
        other.basicConsume(q, false, Map.of("x-priority", 10), high);
        ch.basicAck(a.getEnvelope().getDeliveryTag(), false);
        assertThat(str(high.next().getBody())).isEqualTo("b");
        assertThat(low.count()).isEqualTo(1);
    }

    @Test
    void messageGroupsKeepEachGroupWithOneConsumerInOrderAndRunGroupsInParallel() throws Exception {
        Channel setup = conn.createChannel();
        String q = unique("groups");
        setup.queueDeclare(q, false, false, false, Map.of("x-message-groups", true));
        Channel c1 = conn.createChannel();
        c1.basicQos(1);
        Recorder r1 = new Recorder(c1);
        c1.basicConsume(q, false, r1);
        Channel c2 = conn.createChannel();
        c2.basicQos(1);
        Recorder r2 = new Recorder(c2);
        c2.basicConsume(q, false, r2);
        setup.confirmSelect();
        for (int i = 1; i <= 3; i++) {
            setup.basicPublish("", q, group("a"), utf8("a" + i));
            setup.basicPublish("", q, group("b"), utf8("b" + i));
        }
        setup.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        Delivery d1 = r1.next();
        Delivery d2 = r2.next();
        assertThat(List.of(str(d1.getBody()), str(d2.getBody()))).as("both groups at once")
                .containsExactlyInAnyOrder("a1", "b1");
        String groupOf1 = str(d1.getBody()).substring(0, 1);
        String groupOf2 = str(d2.getBody()).substring(0, 1);
        for (int i = 2; i <= 3; i++) {
            c1.basicAck(r1.all.get(i - 2).getEnvelope().getDeliveryTag(), false);
            c2.basicAck(r2.all.get(i - 2).getEnvelope().getDeliveryTag(), false);
            assertThat(str(r1.next().getBody())).isEqualTo(groupOf1 + i);
            assertThat(str(r2.next().getBody())).isEqualTo(groupOf2 + i);
        }
    }

    @Test
    void aRetriedGroupMessageHoldsBackOnlyItsOwnGroup() throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("groups");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-groups", true, "x-retry-delay", 300));
        ch.confirmSelect();
        ch.basicPublish("", q, group("a"), utf8("a1"));
        ch.basicPublish("", q, group("a"), utf8("a2"));
        ch.basicPublish("", q, group("b"), utf8("b1"));
        ch.basicPublish("", q, null, utf8("ungrouped"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, false, recorder);
        List<Delivery> firstRound = recorder.next(4);
        assertThat(bodies(firstRound)).containsExactly("a1", "a2", "b1", "ungrouped");
        ch.basicNack(firstRound.get(0).getEnvelope().getDeliveryTag(), false, true);
        ch.basicNack(firstRound.get(1).getEnvelope().getDeliveryTag(), false, true);
        ch.basicPublish("", q, group("b"), utf8("b2"));
        ch.basicPublish("", q, group("a"), utf8("a3"));
        assertThat(bodies(recorder.next(4))).as("b2 flows at once; a waits for its retry, then in order")
                .containsExactly("b2", "a1", "a2", "a3");
    }

    @Test
    void orderingArgumentsAreValidated() throws Exception {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("x-max-priority", 256),
                Map.of("x-max-priority", "high"), Map.of("x-single-active-consumer", "yes"),
                Map.of("x-message-groups", 1))) {
            Channel ch = conn.createChannel();
            String name = bad.keySet().iterator().next();
            AMQP.Channel.Close close = Amqp.expectChannelClose(ch, 406,
                    () -> ch.queueDeclare(unique("bad"), false, false, false, bad));
            assertThat(close.getReplyText()).contains("invalid arg '" + name + "'");
        }
    }
}
