package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.publishConfirmed;
import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acknowledgements, prefetch, requeue and redelivery order. */
class AckIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    static final List<String> TEN = List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    static final List<String> FIVE = TEN.subList(0, 5);

    Connection conn;
    Channel ch;
    String q;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        ch = conn.createChannel();
        q = unique("ack-q");
        ch.queueDeclare(q, false, false, false, null);
    }

    @AfterEach
    void close() throws Exception {
        try (Connection c = Amqp.connect(broker); Channel cc = c.createChannel()) {
            cc.queueDelete(q);
        } finally {
            Amqp.closeQuietly(conn);
        }
    }

    private void publish(List<String> bodies) throws Exception {
        publishConfirmed(conn, "", q, bodies.toArray(String[]::new));
    }

    private List<GetResponse> getN(Channel c, int n) throws Exception {
        List<GetResponse> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GetResponse r = c.basicGet(q, false);
            assertThat(r).as("message %d of %d", i + 1, n).isNotNull();
            out.add(r);
        }
        return out;
    }

    private static List<String> bodies(List<GetResponse> rs) {
        return rs.stream().map(r -> str(r.getBody())).toList();
    }

    private static List<Boolean> redelivered(List<GetResponse> rs) {
        return rs.stream().map(r -> r.getEnvelope().isRedeliver()).toList();
    }

    /** Reads the whole queue on a fresh channel, without acking, to see order and flags. */
    private List<GetResponse> peekAll() throws Exception {
        List<GetResponse> out = new ArrayList<>();
        try (Channel c = conn.createChannel()) {
            GetResponse r;
            while ((r = c.basicGet(q, true)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- prefetch

    @Test
    void prefetchLimitsUnackedDeliveriesPerConsumer() throws Exception {
        ch.basicQos(3);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, false, rec);
        publish(TEN);
        List<Delivery> first = rec.next(3);
        assertThat(first).extracting(d -> str(d.getBody())).containsExactly("m0", "m1", "m2");
        // the broker holds the rest back: 7 still ready in the queue, and no 4th delivery
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(7);
        assertThat(rec.count()).isEqualTo(3);

        ch.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
        assertThat(str(rec.next().getBody())).isEqualTo("m3");
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(6);
        assertThat(rec.count()).isEqualTo(4);

        // ack the rest one by one; never more than 3 outstanding
        int acked = 1;
        while (acked < 10) {
            Delivery d = rec.all.get(acked);
            ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            acked++;
            int expectedDelivered = Math.min(10, acked + 3);
            await().atMost(Amqp.TIMEOUT).until(() -> rec.count() >= expectedDelivered);
            assertThat(rec.count() - acked).as("unacked after %d acks", acked).isLessThanOrEqualTo(3);
        }
        assertThat(rec.bodies()).containsExactlyElementsOf(TEN);
    }

    @Test
    void perConsumerPrefetchAppliesToEachConsumerSeparately() throws Exception {
        String q2 = unique("ack-q2");
        ch.queueDeclare(q2, false, false, true, null);
        ch.basicQos(2); // global=false: each consumer gets its own window of 2 (RabbitMQ)
        Recorder r1 = new Recorder(ch);
        Recorder r2 = new Recorder(ch);
        ch.basicConsume(q, false, r1);
        ch.basicConsume(q2, false, r2);
        publish(FIVE);
        publishConfirmed(conn, "", q2, "n0", "n1", "n2", "n3", "n4");
        r1.next(2);
        r2.next(2);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(3);
        assertThat(ch.queueDeclarePassive(q2).getMessageCount()).isEqualTo(3);
        assertThat(r1.count()).isEqualTo(2);
        assertThat(r2.count()).isEqualTo(2);
    }

    @Test
    void globalPrefetchIsSharedByTheChannelsConsumers() throws Exception {
        String q2 = unique("ack-q2");
        ch.queueDeclare(q2, false, false, true, null);
        ch.basicQos(3, true); // RabbitMQ: shared by all consumers on the channel
        Recorder r1 = new Recorder(ch);
        Recorder r2 = new Recorder(ch);
        ch.basicConsume(q, false, r1);
        ch.basicConsume(q2, false, r2);
        publish(FIVE);
        publishConfirmed(conn, "", q2, "n0", "n1", "n2", "n3", "n4");
        await().atMost(Amqp.TIMEOUT).until(() -> r1.count() + r2.count() >= 3);
        int ready = ch.queueDeclarePassive(q).getMessageCount() + ch.queueDeclarePassive(q2).getMessageCount();
        assertThat(ready).as("ready messages left in both queues").isEqualTo(7);
        assertThat(r1.count() + r2.count()).isEqualTo(3);
    }

    @Test
    void prefetchSizeIsNotImplemented540() throws Exception {
        Amqp.expectConnectionClose(conn, AMQP.NOT_IMPLEMENTED, () -> ch.basicQos(65536, 10, false));
    }

    // ---------------------------------------------------------------- ack / nack / reject

    @Test
    void ackMultipleAcksEverythingUpToTheTag() throws Exception {
        publish(FIVE);
        List<GetResponse> got = getN(ch, 5);
        ch.basicAck(got.get(2).getEnvelope().getDeliveryTag(), true); // m0..m2
        ch.close(); // m3, m4 go back
        List<GetResponse> left = peekAll();
        assertThat(bodies(left)).containsExactly("m3", "m4");
        assertThat(redelivered(left)).containsExactly(true, true);
    }

    @Test
    void ackMultipleWithTagZeroAcksAllOutstanding() throws Exception {
        publish(FIVE);
        getN(ch, 3);
        ch.basicAck(0, true);
        ch.close();
        assertThat(bodies(peekAll())).containsExactly("m3", "m4");
    }

    @Test
    void nackMultipleWithRequeueRedeliversInOriginalOrder() throws Exception {
        publish(FIVE);
        List<GetResponse> got = getN(ch, 5);
        assertThat(redelivered(got)).containsOnly(false);
        ch.basicNack(got.get(4).getEnvelope().getDeliveryTag(), true, true);
        List<GetResponse> again = getN(ch, 5);
        assertThat(bodies(again)).containsExactlyElementsOf(FIVE);
        assertThat(redelivered(again)).containsOnly(true);
        ch.basicAck(again.get(4).getEnvelope().getDeliveryTag(), true);
        assertThat(ch.basicGet(q, false)).isNull();
    }

    @Test
    void nackMultipleRequeueToAConsumerKeepsOrder() throws Exception {
        ch.basicQos(10);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, false, rec);
        publish(FIVE);
        List<Delivery> first = rec.next(5);
        ch.basicNack(first.get(4).getEnvelope().getDeliveryTag(), true, true);
        List<Delivery> again = rec.next(5);
        assertThat(again).extracting(d -> str(d.getBody())).containsExactlyElementsOf(FIVE);
        assertThat(again).extracting(d -> d.getEnvelope().isRedeliver()).containsOnly(true);
        assertThat(first).extracting(d -> d.getEnvelope().isRedeliver()).containsOnly(false);
    }

    @Test
    void nackWithoutRequeueDropsTheMessages() throws Exception {
        publish(FIVE);
        List<GetResponse> got = getN(ch, 3);
        ch.basicNack(got.get(1).getEnvelope().getDeliveryTag(), true, false); // m0, m1 dropped
        ch.basicNack(got.get(2).getEnvelope().getDeliveryTag(), false, true); // m2 back
        ch.queueDeclarePassive(q); // a later synchronous reply: the nacks are done
        List<GetResponse> left = peekAll();
        assertThat(bodies(left)).containsExactly("m2", "m3", "m4");
        assertThat(redelivered(left)).containsExactly(true, false, false);
    }

    @Test
    void partialNackRequeueGoesBackToOriginalPlaces() throws Exception {
        publish(FIVE);
        List<GetResponse> got = getN(ch, 4);
        // requeue m1 and m3 only, ack the others
        ch.basicNack(got.get(3).getEnvelope().getDeliveryTag(), false, true);
        ch.basicAck(got.get(0).getEnvelope().getDeliveryTag(), false);
        ch.basicNack(got.get(1).getEnvelope().getDeliveryTag(), false, true);
        ch.basicAck(got.get(2).getEnvelope().getDeliveryTag(), false);
        ch.queueDeclarePassive(q); // a later synchronous reply: the acks and nacks are done
        List<GetResponse> left = peekAll();
        assertThat(bodies(left)).containsExactly("m1", "m3", "m4");
        assertThat(redelivered(left)).containsExactly(true, true, false);
    }

    @Test
    void rejectWithRequeuePutsTheMessageBackAtItsPlace() throws Exception {
        publish(List.of("m0", "m1", "m2"));
        GetResponse m0 = ch.basicGet(q, false);
        assertThat(str(m0.getBody())).isEqualTo("m0");
        ch.basicReject(m0.getEnvelope().getDeliveryTag(), true);
        List<GetResponse> again = getN(ch, 3);
        assertThat(bodies(again)).containsExactly("m0", "m1", "m2");
        assertThat(redelivered(again)).containsExactly(true, false, false);
    }

    @Test
    void rejectWithoutRequeueDropsTheMessage() throws Exception {
        publish(List.of("m0", "m1"));
        GetResponse m0 = ch.basicGet(q, false);
        ch.basicReject(m0.getEnvelope().getDeliveryTag(), false);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
        ch.close();
        assertThat(bodies(peekAll())).containsExactly("m1");
    }

    @Test
    void recoverRedeliversUnackedMessages() throws Exception {
        ch.basicQos(10);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, false, rec);
        publish(List.of("m0", "m1", "m2"));
        List<Delivery> first = rec.next(3);
        ch.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
        ch.basicRecover(); // requeue=true
        List<Delivery> again = rec.next(2);
        assertThat(again).extracting(d -> str(d.getBody())).containsExactly("m1", "m2");
        assertThat(again).extracting(d -> d.getEnvelope().isRedeliver()).containsOnly(true);
    }

    @Test
    void deprecatedRecoverAsyncAlsoRedelivers() throws Exception {
        ch.basicQos(10);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, false, rec);
        publish(List.of("m0", "m1"));
        rec.next(2);
        ch.asyncRpc(new AMQP.Basic.RecoverAsync.Builder().requeue(true).build()); // 60/100, no reply
        List<Delivery> again = rec.next(2);
        assertThat(again).extracting(d -> str(d.getBody())).containsExactly("m0", "m1");
        assertThat(again).extracting(d -> d.getEnvelope().isRedeliver()).containsOnly(true);
    }

    @Test
    void recoverWithoutRequeueIs540AsInRabbitMq() throws Exception {
        publish(List.of("m0"));
        ch.basicGet(q, false);
        AMQP.Connection.Close close = Amqp.expectConnectionClose(conn, AMQP.NOT_IMPLEMENTED,
                () -> ch.basicRecover(false));
        assertThat(close.getReplyText()).contains("requeue");
    }

    @Test
    void ackOfUnknownDeliveryTagIs406() throws Exception {
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED, () -> ch.basicAck(99, false));
        assertThat(close.getReplyText()).contains("99");
        Amqp.assertCausedBy(close, 60, 80);
    }

    @Test
    void doubleAckIs406() throws Exception {
        publish(List.of("m0"));
        GetResponse r = ch.basicGet(q, false);
        long tag = r.getEnvelope().getDeliveryTag();
        ch.basicAck(tag, false);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.basicAck(tag, false));
        assertThat(close.getReplyText()).contains(String.valueOf(tag));
    }

    @Test
    void nackOfUnknownDeliveryTagIs406() throws Exception {
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.basicNack(42, false, true));
        assertThat(close.getReplyText()).contains("42");
    }

    @Test
    void rejectOfUnknownDeliveryTagIs406() throws Exception {
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.basicReject(7, false));
        assertThat(close.getReplyText()).contains("7");
    }

    @Test
    void deliveryTagsArePerChannel() throws Exception {
        publish(List.of("m0"));
        GetResponse r = ch.basicGet(q, false);
        Channel other = conn.createChannel();
        // the tag means nothing on another channel
        Amqp.expectChannelClose(other, AMQP.PRECONDITION_FAILED,
                () -> other.basicAck(r.getEnvelope().getDeliveryTag(), false));
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        ch.close();
        assertThat(peekAll()).isEmpty();
    }

    // ---------------------------------------------------------------- redelivery after close

    @Test
    void unackedMessagesComeBackInOriginalOrderAfterChannelClose() throws Exception {
        publish(FIVE);
        List<GetResponse> got = getN(ch, 3);
        assertThat(bodies(got)).containsExactly("m0", "m1", "m2");
        ch.close();
        List<GetResponse> all = peekAll();
        assertThat(bodies(all)).containsExactlyElementsOf(FIVE);
        assertThat(redelivered(all)).containsExactly(true, true, true, false, false);
    }

    @Test
    void unackedConsumerDeliveriesComeBackInOriginalOrderAfterConnectionClose() throws Exception {
        Connection other = Amqp.connect(broker);
        Channel oc = other.createChannel();
        oc.basicQos(3);
        Recorder rec = new Recorder(oc);
        oc.basicConsume(q, false, rec);
        publish(FIVE);
        List<Delivery> got = rec.next(3);
        oc.basicAck(got.get(1).getEnvelope().getDeliveryTag(), false); // m1 done
        // the freed prefetch slot takes m3
        assertThat(str(rec.next().getBody())).isEqualTo("m3");
        other.close();
        List<GetResponse> all = peekAll();
        assertThat(bodies(all)).containsExactly("m0", "m2", "m3", "m4");
        assertThat(redelivered(all)).containsExactly(true, true, true, false);
    }

    @Test
    void redeliveryCarriesDeliveryCountHeader() throws Exception {
        publish(List.of("m0"));
        GetResponse first = ch.basicGet(q, false);
        assertThat(first.getProps().getHeaders() == null
                || !first.getProps().getHeaders().containsKey("x-delivery-count"))
                .as("no x-delivery-count on a first delivery").isTrue();
        ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
        GetResponse second = ch.basicGet(q, false);
        assertThat(second.getEnvelope().isRedeliver()).isTrue();
        // FerryMQ guarantee G2: a redelivered message carries x-delivery-count
        assertThat(second.getProps().getHeaders()).containsKey("x-delivery-count");
        Object n = second.getProps().getHeaders().get("x-delivery-count");
        assertThat(n).isInstanceOf(Number.class);
        assertThat(((Number) n).longValue()).isGreaterThanOrEqualTo(1);
        ch.basicAck(second.getEnvelope().getDeliveryTag(), false);
    }

    @Test
    void autoAckGetRemovesTheMessage() throws Exception {
        publish(List.of("m0", "m1"));
        GetResponse r = ch.basicGet(q, true);
        assertThat(str(r.getBody())).isEqualTo("m0");
        ch.close();
        assertThat(bodies(peekAll())).containsExactly("m1");
        assertThat(drain(conn.createChannel(), q)).isEmpty();
    }
}
