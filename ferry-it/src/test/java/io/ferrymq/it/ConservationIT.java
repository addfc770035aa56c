package io.ferrymq.it;

import static io.ferrymq.it.Amqp.TIMEOUT;
import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * G7, nothing vanishes: many messages with random TTLs, random rejects and requeues, a small length limit and a
 * delivery limit. Every published message is either consumed or dead-lettered, and each dead letter names why.
 */
class ConservationIT extends WithConnection {
    /**
     * {@code -Dconservation.messages=100000} for the full run. The default is smaller because the ITs run Netty's
     * paranoid leak detection, which makes the broker's event loop about ten times slower (20k take ~20 s on 2 cores).
     */
    private static final int MESSAGES = Integer.getInteger("conservation.messages", 20_000);


    @Test
    void consumedPlusDeadLetteredByReasonIsPublished() throws Exception {
        String dlx = unique("dlx");
        String dlq = unique("dlq");
        String work = unique("work");
        Channel setup = conn.createChannel();
        setup.exchangeDeclare(dlx, "fanout");
        setup.queueDeclare(dlq, false, false, false, null);
        setup.queueBind(dlq, dlx, "");
        setup.queueDeclare(work, false, false, false, Map.of("x-dead-letter-exchange", dlx, "x-max-length", 50,
                "x-delivery-limit", 1));

        Map<String, LongAdder> deadByReason = new ConcurrentHashMap<>();
        Channel deadChannel = conn.createChannel();
        deadChannel.basicConsume(dlq, true, new DefaultConsumer(deadChannel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                String reason = String.valueOf(props.getHeaders().get("x-first-death-reason"));
                deadByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
            }
        });

        AtomicLong consumed = new AtomicLong();
        Channel workChannel = conn.createChannel();
        workChannel.basicQos(20);
        Random consumerDice = new Random(7);
        workChannel.basicConsume(work, false, new DefaultConsumer(workChannel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                int roll = consumerDice.nextInt(10);
                if (roll == 0) {
                    workChannel.basicReject(envelope.getDeliveryTag(), false);
                } else if (roll == 1) {
                    workChannel.basicNack(envelope.getDeliveryTag(), false, true);
                } else {
                    consumed.incrementAndGet();
                    workChannel.basicAck(envelope.getDeliveryTag(), false);
                }
            }
        });

        Random publisherDice = new Random(11);
        try (Channel publisher = conn.createChannel()) {
            publisher.confirmSelect();
            for (int i = 0; i < MESSAGES; i++) {
                AMQP.BasicProperties props = publisherDice.nextInt(3) == 0 ? null
                        : new AMQP.BasicProperties.Builder().expiration(Integer.toString(publisherDice.nextInt(20)))
                        .build();
                publisher.basicPublish("", work, props, Amqp.utf8("m" + i));
                if (i % 500 == 499) {
                    publisher.waitForConfirmsOrDie(TIMEOUT.toMillis());
                }
            }
            publisher.waitForConfirmsOrDie(TIMEOUT.toMillis());
        }

        await().atMost(Duration.ofMinutes(3)).until(() -> consumed.get() + total(deadByReason) == MESSAGES);
        assertThat(setup.messageCount(work)).isZero();
        assertThat(deadByReason.keySet()).as("every reason occurs with these odds")
                .contains("rejected", "expired", "maxlen", "delivery_limit");
        // nothing arrives twice either: the sum stays put
        Thread.sleep(200);
        assertThat(consumed.get() + total(deadByReason)).isEqualTo(MESSAGES);
    }

    private static long total(Map<String, LongAdder> byReason) {
        return byReason.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
