package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Publisher confirms (confirm.select, basic.ack / basic.nack from the broker). */
class ConfirmIT extends WithChannel {

    /** Records confirms, expanding multiple=true into the individual sequence numbers. */
    static final class Confirms implements ConfirmListener {
        final ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
        final ConcurrentSkipListSet<Long> nacked = new ConcurrentSkipListSet<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicBoolean duplicate = new AtomicBoolean();

        @Override
        public void handleAck(long tag, boolean multiple) {
            record(acked, tag, multiple, "ack");
        }

        @Override
        public void handleNack(long tag, boolean multiple) {
            record(nacked, tag, multiple, "nack");
        }

        private synchronized void record(ConcurrentSkipListSet<Long> set, long tag, boolean multiple, String kind) {
            events.add(kind + ":" + tag + (multiple ? ":multiple" : ""));
            boolean anyNew = false;
            long from = multiple ? 1 : tag;
            for (long t = from; t <= tag; t++) {
                if (!acked.contains(t) && !nacked.contains(t)) {
                    set.add(t);
                    anyNew = true;
                }
            }
            if (!anyNew) {
                duplicate.set(true);
            }
        }
    }

    @Test
    void confirmSelectStartsSequenceAtOne() throws Exception {
        assertThat(ch.getNextPublishSeqNo()).isZero();
        ch.confirmSelect();
        assertThat(ch.getNextPublishSeqNo()).isEqualTo(1);
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, utf8("a"));
        ch.basicPublish("", q, null, utf8("b"));
        assertThat(ch.getNextPublishSeqNo()).isEqualTo(3);
        assertThat(ch.waitForConfirms(Amqp.TIMEOUT.toMillis())).isTrue();
        assertThat(drain(ch, q)).containsExactly("a", "b");
    }

    @Test
    void confirmSelectTwiceIsFine() throws Exception {
        ch.confirmSelect();
        ch.confirmSelect();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void waitForConfirmsOrDieAfterManyPublishes() throws Exception {
        String q = unique("confirm-many");
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 500; i++) {
            ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("m" + i));
        }
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        // confirmed means enqueued
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(500);
        assertThat(ch.queueDelete(q).getMessageCount()).isEqualTo(500);
    }

    @Test
    void confirmListenerSeesEverySequenceNumberAckedExactlyOnce() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Confirms confirms = new Confirms();
        ch.addConfirmListener(confirms);
        ch.confirmSelect();
        int n = 1000;
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", q, null, utf8("m" + i));
        }
        await().atMost(Amqp.TIMEOUT).until(() -> confirms.acked.size() + confirms.nacked.size() >= n);
        assertThat(confirms.nacked).isEmpty();
        assertThat(confirms.acked).hasSize(n);
        assertThat(confirms.acked.first()).isEqualTo(1L);
        assertThat(confirms.acked.last()).isEqualTo((long) n);
        assertThat(confirms.duplicate.get()).as("some sequence number confirmed twice: %s", confirms.events).isFalse();
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(n);
    }

    @Test
    void unroutableMessagesAreConfirmedToo() throws Exception {
        String x = unique("empty-x");
        ch.exchangeDeclare(x, "fanout", false, true, null);
        List<Return> returns = new CopyOnWriteArrayList<>();
        ch.addReturnListener(returns::add);
        Confirms confirms = new Confirms();
        ch.addConfirmListener(confirms);
        ch.confirmSelect();
        ch.basicPublish(x, "", false, null, utf8("nowhere"));
        ch.basicPublish(x, "", true, null, utf8("returned"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        assertThat(confirms.acked).containsExactly(1L, 2L);
        assertThat(returns).extracting(r -> Amqp.str(r.getBody())).containsExactly("returned");
    }

    @Test
    void messageRoutedToSeveralQueuesIsConfirmedOnce() throws Exception {
        String x = unique("fan-x");
        ch.exchangeDeclare(x, "fanout", false, true, null);
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String q = ch.queueDeclare().getQueue();
            ch.queueBind(q, x, "");
            queues.add(q);
        }
        Confirms confirms = new Confirms();
        ch.addConfirmListener(confirms);
        ch.confirmSelect();
        ch.basicPublish(x, "", null, utf8("fan"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        assertThat(confirms.events).hasSize(1);
        assertThat(confirms.acked).containsExactly(1L);
        for (String q : queues) {
            assertThat(drain(ch, q)).containsExactly("fan");
        }
    }

    @Test
    void publishToMissingExchangeInConfirmModeClosesTheChannel() throws Exception {
        ch.confirmSelect();
        String x = unique("missing");
        ch.basicPublish(x, "", null, utf8("lost"));
        assertThatThrownBy(() -> ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis()))
                .satisfies(t -> {
                    var sse = Amqp.shutdownSignal(t);
                    assertThat(sse).as("failure carries the channel close, was %s", t).isNotNull();
                    assertThat(sse.getReason()).isInstanceOf(AMQP.Channel.Close.class);
                    assertThat(((AMQP.Channel.Close) sse.getReason()).getReplyCode()).isEqualTo(AMQP.NOT_FOUND);
                });
        assertThat(conn.isOpen()).isTrue();
    }

    @Test
    void confirmsAreNumberedPerChannel() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Channel other = conn.createChannel();
        Confirms c1 = new Confirms();
        Confirms c2 = new Confirms();
        ch.addConfirmListener(c1);
        other.addConfirmListener(c2);
        ch.confirmSelect();
        other.confirmSelect();
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, utf8("a" + i));
            other.basicPublish("", q, null, utf8("b" + i));
        }
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        other.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        assertThat(c1.acked).containsExactly(1L, 2L, 3L);
        assertThat(c2.acked).containsExactly(1L, 2L, 3L);
    }
}
