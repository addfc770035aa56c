package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-queue-type quorum on one node, as an application written for RabbitMQ's quorum queues declares it. */
class QuorumQueueIT extends WithChannel {
    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");


    @Test
    void aDurableQuorumQueueWorksLikeAnyQueue() throws Exception {
        String q = unique("qq");
        assertThat(ch.queueDeclare(q, true, false, false, QUORUM).getQueue()).isEqualTo(q);
        assertThat(ch.queueDeclare(q, true, false, false, QUORUM).getMessageCount()).isZero();
        Amqp.publishConfirmed(conn, "", q, "a", "b");
        assertThat(Amqp.drain(ch, q)).containsExactly("a", "b");
        ch.queueDelete(q);
    }

    @Test
    void aQuorumQueueMustBeDurableNotExclusiveNotAutoDelete() throws Exception {
        assertPreconditionFailed(ch -> ch.queueDeclare("qq-transient", false, false, false, QUORUM),
                "invalid property 'non-durable' for queue 'qq-transient' in vhost '/'");
        assertPreconditionFailed(ch -> ch.queueDeclare("qq-exclusive", true, true, false, QUORUM),
                "invalid property 'exclusive-owner' for queue 'qq-exclusive' in vhost '/'");
        assertPreconditionFailed(ch -> ch.queueDeclare("qq-auto", true, false, true, QUORUM),
                "invalid property 'auto-delete' for queue 'qq-auto' in vhost '/'");
        assertThat(Amqp.queueExists(conn, "qq-transient")).isFalse();
    }

    @Test
    void otherTypesAreRefusedByName() throws Exception {
        assertPreconditionFailed(ch -> ch.queueDeclare("events", true, false, false,
                Map.of("x-queue-type", "stream")), "FerryMQ has no streams");
        assertPreconditionFailed(ch -> ch.queueDeclare("lazy", true, false, false,
                Map.of("x-queue-type", "lazy")), "unknown x-queue-type 'lazy'");
        assertThat(ch.queueDeclare(unique("classic"), true, false, true, Map.of("x-queue-type", "classic")))
                .isNotNull();
    }

    @Test
    void aQuorumQueueAndItsPersistentMessagesSurviveARestartKeepingTheirType() throws Exception {
        String q = unique("qq-durable");
        ch.queueDeclare(q, true, false, false, QUORUM);
        ch.confirmSelect();
        ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("kept"));
        ch.basicPublish("", q, MessageProperties.TEXT_PLAIN, utf8("transient"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());

        broker.restart();
        conn = Amqp.connect(broker);
        ch = conn.createChannel();

        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
        assertPreconditionFailed(ch -> ch.queueDeclare(q, true, false, false, Map.of()),
                "inequivalent arg 'x-queue-type' for queue '" + q + "' in vhost '/': received 'classic' but "
                        + "current is 'quorum'");
        assertThat(ch.queueDeclare(q, true, false, false, QUORUM).getMessageCount()).isEqualTo(1);
        GetResponse kept = ch.basicGet(q, false);
        assertThat(Amqp.str(kept.getBody())).isEqualTo("kept");
        assertThat(kept.getProps().getDeliveryMode()).isEqualTo(2);
        ch.basicAck(kept.getEnvelope().getDeliveryTag(), false);
        ch.queueDelete(q);
    }

    private interface Declare {
        void run(Channel channel) throws Exception;
    }

    /** Declares on a fresh channel, which the broker must close with 406 and a text containing {@code text}. */
    private void assertPreconditionFailed(Declare declare, String text) throws Exception {
        Channel channel = conn.createChannel();
        AMQP.Channel.Close close = Amqp.expectChannelClose(channel, 406, () -> declare.run(channel));
        assertThat(close.getReplyText()).contains(text);
    }
}
