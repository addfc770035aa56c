package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retry with back-off (x-retry-delay, x-retry-multiplier, x-retry-max-delay), end to end. The exact schedule is
 * unit-tested on a fake clock (QueueMachineFailureTest); here: never before the delay, and then it does come.
 */
class RetryIT extends WithConnection {

    private String retryQueue(Channel ch) throws Exception {
        String q = unique("retry");
        ch.queueDeclare(q, false, false, false, Map.of("x-retry-delay", 300, "x-retry-multiplier", 2,
                "x-retry-max-delay", 500));
        return q;
    }

    @Test
    void aNackedMessageComesBackOnlyAfterItsGrowingDelay() throws Exception {
        Channel ch = conn.createChannel();
        String q = retryQueue(ch);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, false, recorder);
        ch.basicPublish("", q, null, utf8("flaky"));
        long[] delays = {300, 500, 500};
        Delivery delivery = recorder.next();
        for (long delay : delays) {
            long nacked = System.nanoTime();
            ch.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
            delivery = recorder.next();
            long waitedMs = (System.nanoTime() - nacked) / 1_000_000;
            assertThat(waitedMs).as("redelivery must wait out the delay").isGreaterThanOrEqualTo(delay);
            assertThat(delivery.getEnvelope().isRedeliver()).isTrue();
        }
        assertThat(delivery.getProperties().getHeaders().get("x-delivery-count")).isEqualTo(3L);
        ch.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    }

    @Test
    void aWaitingRetryHoldsNoPrefetchSlotSoTheNextMessageFlows() throws Exception {
        Channel ch = conn.createChannel();
        String q = retryQueue(ch);
        ch.basicQos(1);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, false, recorder);
        ch.basicPublish("", q, null, utf8("a"));
        ch.basicPublish("", q, null, utf8("b"));
        Delivery a = recorder.next();
        ch.basicNack(a.getEnvelope().getDeliveryTag(), false, true);
        Delivery b = recorder.next();
        assertThat(Amqp.str(b.getBody())).isEqualTo("b");
        ch.basicAck(b.getEnvelope().getDeliveryTag(), false);
        Delivery again = recorder.next();
        assertThat(Amqp.str(again.getBody())).isEqualTo("a");
        assertThat(again.getEnvelope().isRedeliver()).isTrue();
    }

    @Test
    void aMessageWhoseConsumerDiedIsRetriedAfterTheDelay() throws Exception {
        Channel first = conn.createChannel();
        String q = retryQueue(first);
        Recorder dying = new Recorder(first);
        first.basicConsume(q, false, dying);
        first.basicPublish("", q, null, utf8("orphan"));
        dying.next();
        long died = System.nanoTime();
        first.close();
        Channel second = conn.createChannel();
        Recorder survivor = new Recorder(second);
        second.basicConsume(q, false, survivor);
        Delivery again = survivor.next();
        assertThat((System.nanoTime() - died) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(Amqp.str(again.getBody())).isEqualTo("orphan");
        assertThat(again.getEnvelope().isRedeliver()).isTrue();
    }
}
