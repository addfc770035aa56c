package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.publishConfirmed;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** queue.declare / bind / unbind / purge / delete. */
class QueueIT extends WithChannel {

    /** A fresh channel for clean-up after the test's channel was closed by an error. */
    private void deleteQueue(String q) throws Exception {
        try (Channel c = conn.createChannel()) {
            c.queueDelete(q);
        }
    }

    @Test
    void declareDurableQueue() throws Exception {
        String q = unique("durable");
        AMQP.Queue.DeclareOk ok = ch.queueDeclare(q, true, false, false, null);
        assertThat(ok.getQueue()).isEqualTo(q);
        assertThat(ok.getMessageCount()).isZero();
        assertThat(ok.getConsumerCount()).isZero();
        // identical redeclare is fine and sees the same queue
        publishConfirmed(conn, "", q, "m");
        assertThat(ch.queueDeclare(q, true, false, false, null).getMessageCount()).isEqualTo(1);
        deleteQueue(q);
    }

    @Test
    void declareExclusiveQueueVisibleToItsOwnConnectionOnly() throws Exception {
        String q = unique("excl");
        ch.queueDeclare(q, false, true, false, null);
        try (Channel other = conn.createChannel()) {
            // same connection, another channel: allowed
            assertThat(other.queueDeclarePassive(q).getQueue()).isEqualTo(q);
            publishConfirmed(conn, "", q, "x");
            assertThat(drain(other, q)).containsExactly("x");
        }
    }

    @Test
    void declareAutoDeleteQueueStaysUntilAConsumerHasComeAndGone() throws Exception {
        String q = unique("autodel");
        ch.queueDeclare(q, false, false, true, null);
        // no consumer yet: it must not vanish
        publishConfirmed(conn, "", q, "m");
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
        deleteQueue(q);
    }

    @Test
    void serverNamedQueue() throws Exception {
        AMQP.Queue.DeclareOk ok1 = ch.queueDeclare();
        AMQP.Queue.DeclareOk ok2 = ch.queueDeclare("", false, true, true, null);
        assertThat(ok1.getQueue()).startsWith("amq.gen-");
        assertThat(ok2.getQueue()).startsWith("amq.gen-");
        assertThat(ok1.getQueue()).isNotEqualTo(ok2.getQueue());
        // the generated name is a real queue
        publishConfirmed(conn, "", ok1.getQueue(), "to-generated");
        assertThat(drain(ch, ok1.getQueue())).containsExactly("to-generated");
    }

    @Test
    void passiveDeclareOfMissingQueueIs404() throws Exception {
        String q = unique("missing-q");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.queueDeclarePassive(q));
        assertThat(close.getReplyText()).contains(q);
        Amqp.assertCausedBy(close, 50, 10);
    }

    @Test
    void noWaitDeclareAndBindTakeEffect() throws Exception {
        String q = unique("nowait");
        String x = unique("nowait-x");
        ch.exchangeDeclareNoWait(x, "fanout", false, false, false, null);
        ch.queueDeclareNoWait(q, false, false, false, null);
        ch.queueBindNoWait(q, x, "", null);
        publishConfirmed(conn, x, "", "via-nowait-binding");
        assertThat(drain(ch, q)).containsExactly("via-nowait-binding");
        ch.queueDeleteNoWait(q, false, false);
        ch.exchangeDeleteNoWait(x, false);
        assertThat(Amqp.queueExists(conn, q)).isFalse();
        assertThat(Amqp.exchangeExists(conn, x)).isFalse();
    }

    @Test
    void passiveDeclareWithNoWaitStillFailsWith404() throws Exception {
        String q = unique("missing-nowait");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND,
                () -> ch.asyncRpc(new AMQP.Queue.Declare.Builder().queue(q).passive(true).nowait(true).build()));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void reservedAmqPrefixIs403() throws Exception {
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.ACCESS_REFUSED,
                () -> ch.queueDeclare("amq.my-queue", false, false, true, null));
        assertThat(close.getReplyText()).contains("amq.my-queue");
    }

    @Test
    void exclusiveQueueFromAnotherConnectionIs405() throws Exception {
        String q = unique("locked");
        ch.queueDeclare(q, false, true, false, null);
        try (Connection other = Amqp.connect(broker)) {
            Channel c1 = other.createChannel();
            AMQP.Channel.Close close = Amqp.expectChannelClose(c1, AMQP.RESOURCE_LOCKED,
                    () -> c1.queueDeclarePassive(q));
            assertThat(close.getReplyText()).contains(q);

            Channel c2 = other.createChannel();
            close = Amqp.expectChannelClose(c2, AMQP.RESOURCE_LOCKED,
                    () -> c2.basicConsume(q, true, new Recorder(c2)));
            assertThat(close.getReplyText()).contains(q);

            Channel c3 = other.createChannel();
            Amqp.expectChannelClose(c3, AMQP.RESOURCE_LOCKED, () -> c3.queueDelete(q));

            Channel c4 = other.createChannel();
            // a non-passive declare with different properties: the lock check comes first (405, not 406)
            Amqp.expectChannelClose(c4, AMQP.RESOURCE_LOCKED, () -> c4.queueDeclare(q, true, false, false, null));
        }
        // the owner is unaffected
        assertThat(ch.queueDeclarePassive(q).getQueue()).isEqualTo(q);
    }

    @Test
    void redeclareWithDifferentArgumentsIs406() throws Exception {
        String q = unique("args");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 60_000));
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 30_000)));
        assertThat(close.getReplyText()).contains(q);
        Amqp.assertCausedBy(close, 50, 10);
        deleteQueue(q);
    }

    @Test
    void redeclareWithDifferentDurabilityIs406() throws Exception {
        String q = unique("dur");
        ch.queueDeclare(q, false, false, false, null);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.queueDeclare(q, true, false, false, null));
        assertThat(close.getReplyText()).contains(q);
        deleteQueue(q);
    }

    @Test
    void declareOkReportsMessageAndConsumerCounts() throws Exception {
        String q = unique("counts");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(conn, "", q, "1", "2", "3");
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
        assertThat(ok.getMessageCount()).isEqualTo(3);
        assertThat(ok.getConsumerCount()).isZero();

        String q2 = unique("counts-consumers");
        ch.queueDeclare(q2, false, false, false, null);
        try (Channel c = conn.createChannel()) {
            c.basicConsume(q2, false, new Recorder(c));
            c.basicConsume(q2, false, new Recorder(c));
            AMQP.Queue.DeclareOk ok2 = ch.queueDeclare(q2, false, false, false, null);
            assertThat(ok2.getConsumerCount()).isEqualTo(2);
            assertThat(ok2.getMessageCount()).isZero();
        }
        assertThat(ch.queueDeclarePassive(q2).getConsumerCount()).isZero();
        deleteQueue(q);
        deleteQueue(q2);
    }

    @Test
    void purgeReturnsTheNumberOfMessagesRemoved() throws Exception {
        String q = unique("purge");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(conn, "", q, "1", "2", "3", "4", "5");
        assertThat(ch.queuePurge(q).getMessageCount()).isEqualTo(5);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
        assertThat(ch.basicGet(q, true)).isNull();
        assertThat(ch.queuePurge(q).getMessageCount()).isZero();
        deleteQueue(q);
    }

    @Test
    void purgeOfMissingQueueIs404() throws Exception {
        String q = unique("missing-purge");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.queuePurge(q));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void deleteReturnsMessageCountAndRemovesTheQueue() throws Exception {
        String q = unique("del");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(conn, "", q, "1", "2");
        assertThat(ch.queueDelete(q).getMessageCount()).isEqualTo(2);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.queueDeclarePassive(q));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void deleteOfMissingQueueIsOkAsInRabbitMq() throws Exception {
        assertThat(ch.queueDelete(unique("never-existed")).getMessageCount()).isZero();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void deleteIfUnusedWithAConsumerIs406() throws Exception {
        String q = unique("in-use");
        ch.queueDeclare(q, false, false, false, null);
        try (Channel c = conn.createChannel()) {
            c.basicConsume(q, true, new Recorder(c));
            AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                    () -> ch.queueDelete(q, true, false));
            assertThat(close.getReplyText()).contains(q);
        }
        // consumer gone with its channel: now it is unused
        try (Channel c = conn.createChannel()) {
            c.queueDelete(q, true, false);
        }
        assertThat(Amqp.queueExists(conn, q)).isFalse();
    }

    @Test
    void deleteIfEmptyWithMessagesIs406() throws Exception {
        String q = unique("not-empty");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(conn, "", q, "m");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.queueDelete(q, false, true));
        assertThat(close.getReplyText()).contains(q);
        try (Channel c = conn.createChannel()) {
            assertThat(c.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
            c.queuePurge(q);
            assertThat(c.queueDelete(q, false, true).getMessageCount()).isZero();
        }
    }

    @Test
    void bindAndUnbind() throws Exception {
        String x = unique("bind-x");
        ch.exchangeDeclare(x, "direct", false, false, null); // not auto-delete: it must outlive the unbind
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "key");
        List<Return> returns = new CopyOnWriteArrayList<>();
        try (Channel pub = conn.createChannel()) {
            pub.addReturnListener(returns::add);
            pub.confirmSelect();
            pub.basicPublish(x, "key", true, null, utf8("bound"));
            pub.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
            assertThat(drain(ch, q)).containsExactly("bound");
            assertThat(returns).isEmpty();

            ch.queueUnbind(q, x, "key");
            pub.basicPublish(x, "key", true, null, utf8("unbound"));
            pub.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
            assertThat(drain(ch, q)).isEmpty();
            assertThat(returns).hasSize(1);
            assertThat(returns.get(0).getReplyCode()).isEqualTo(AMQP.NO_ROUTE);
        }
        // unbinding something that is not bound is not an error (RabbitMQ)
        ch.queueUnbind(q, x, "key");
        assertThat(ch.isOpen()).isTrue();
        ch.exchangeDelete(x);
    }

    @Test
    void bindToMissingExchangeIs404() throws Exception {
        String q = ch.queueDeclare().getQueue();
        String x = unique("no-x");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.queueBind(q, x, "k"));
        assertThat(close.getReplyText()).contains(x);
        Amqp.assertCausedBy(close, 50, 20);
    }

    @Test
    void bindOfMissingQueueIs404() throws Exception {
        String q = unique("no-q");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND,
                () -> ch.queueBind(q, "amq.direct", "k"));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void exclusiveQueueIsDeletedWhenItsConnectionCloses() throws Exception {
        String q = unique("excl-gone");
        try (Connection owner = Amqp.connect(broker); Channel oc = owner.createChannel()) {
            oc.queueDeclare(q, false, true, false, null);
            oc.basicPublish("", q, null, utf8("m"));
            oc.queueDeclarePassive(q);
        }
        await().atMost(Amqp.TIMEOUT).until(() -> !Amqp.queueExists(conn, q));
        // and the name is free for anyone again
        try (Channel c = conn.createChannel()) {
            assertThat(c.queueDeclare(q, false, false, true, null).getMessageCount()).isZero();
            c.queueDelete(q);
        }
    }

    @Test
    void autoDeleteQueueIsDeletedWhenItsLastConsumerCancels() throws Exception {
        String q = unique("autodel");
        ch.queueDeclare(q, false, false, true, null);
        String t1 = ch.basicConsume(q, true, new Recorder(ch));
        String t2 = ch.basicConsume(q, true, new Recorder(ch));
        ch.basicCancel(t1);
        assertThat(ch.queueDeclarePassive(q).getConsumerCount()).isEqualTo(1);
        ch.basicCancel(t2);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.queueDeclarePassive(q));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void autoDeleteQueueIsDeletedWhenTheConsumersChannelCloses() throws Exception {
        String q = unique("autodel-ch");
        ch.queueDeclare(q, false, false, true, null);
        Channel c = conn.createChannel();
        c.basicConsume(q, true, new Recorder(c));
        c.close();
        await().atMost(Amqp.TIMEOUT).until(() -> !Amqp.queueExists(conn, q));
    }
}
