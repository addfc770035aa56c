package io.ferrymq.it;

import static io.ferrymq.it.Amqp.TIMEOUT;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-message-ttl, per-message expiration, and x-expires for idle queues. */
class TtlIT extends WithChannel {

    private static AMQP.BasicProperties expiring(String ms) {
        return new AMQP.BasicProperties.Builder().expiration(ms).build();
    }

    @Test
    void aQueueTtlEmptiesTheQueueWithoutAConsumer() throws Exception {
        String q = unique("ttl");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 100));
        Amqp.publishConfirmed(conn, "", q, "a", "b", "c");
        await().atMost(TIMEOUT).until(() -> ch.messageCount(q) == 0);
    }

    @Test
    void aShortLivedMessageExpiresBehindALongLivedHead() throws Exception {
        String q = unique("mid");
        ch.queueDeclare(q, false, false, false, null);
        ch.confirmSelect();
        ch.basicPublish("", q, expiring("600000"), utf8("head"));
        ch.basicPublish("", q, expiring("50"), utf8("short"));
        ch.basicPublish("", q, null, utf8("tail"));
        ch.waitForConfirmsOrDie(TIMEOUT.toMillis());
        // RabbitMQ would keep counting "short" until it reached the head; it goes on time here
        await().atMost(TIMEOUT).until(() -> ch.messageCount(q) == 2);
        assertThat(Amqp.drain(ch, q)).containsExactly("head", "tail");
    }

    @Test
    void anExpiredMessageIsNotDeliveredToAConsumerThatComesLater() throws Exception {
        String q = unique("late");
        ch.queueDeclare(q, false, false, false, null);
        ch.basicPublish("", q, expiring("1"), utf8("stale"));
        ch.basicPublish("", q, null, utf8("fresh"));
        await().atMost(TIMEOUT).until(() -> ch.messageCount(q) == 1);
        assertThat(Amqp.drain(ch, q)).containsExactly("fresh");
    }

    @Test
    void ttlZeroReachesAWaitingConsumerButIsDroppedOtherwise() throws Exception {
        String q = unique("zero");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 0));
        Amqp.publishConfirmed(conn, "", q, "nobody waits");
        await().atMost(TIMEOUT).until(() -> ch.messageCount(q) == 0);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, true, recorder);
        Amqp.publishConfirmed(conn, "", q, "someone waits");
        await().atMost(TIMEOUT).until(() -> recorder.bodies().contains("someone waits"));
    }

    @Test
    void anUnusedQueueIsDeletedAfterItsExpiry() throws Exception {
        String q = unique("idle");
        ch.queueDeclare(q, false, false, false, Map.of("x-expires", 200));
        await().atMost(TIMEOUT).until(() -> !Amqp.queueExists(conn, q));
    }

    @Test
    void aQueueWithAConsumerStays() throws Exception {
        String q = unique("used");
        ch.queueDeclare(q, false, false, false, Map.of("x-expires", 200));
        String tag = ch.basicConsume(q, true, new Recorder(ch));
        Thread.sleep(600); // three times x-expires: only the consumer can have kept it
        assertThat(Amqp.queueExists(conn, q)).isTrue();
        ch.basicCancel(tag);
        await().atMost(TIMEOUT).until(() -> !Amqp.queueExists(conn, q));
    }
}
