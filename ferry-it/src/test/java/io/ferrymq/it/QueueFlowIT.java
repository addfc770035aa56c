package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queue flow control: a queue whose consumers fall behind pauses its publishers once it holds 4 MiB of messages in
 * memory (its resident budget, 8 MiB by default, if that were smaller), and lets them go when it drains to half,
 * or when its consumers stop taking anything for a second; a queue without
 * consumers takes whatever comes (the memory alarm guards that case).
 */
class QueueFlowIT {

    static final int MESSAGE_SIZE = 4 * 1024;
    static final int MESSAGES = 12 * 1024; // 48 MiB: twelve times the mark
    /** The mark (4 MiB) plus what socket buffers and one read pass hold: far below all 48 MiB. */
    static final int PAUSED_BELOW = 6_000;

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    @Test
    void aPublisherIsHeldToItsQueuesSlowConsumerAndGoesOnWhenItLeaves() throws Exception {
        String q = unique("flow");
        try (Connection pub = Amqp.connect(broker); Connection sub = Amqp.connect(broker)) {
            Channel pc = pub.createChannel();
            pc.queueDeclare(q, false, false, false, null);
            // a slow consumer: at most 50 unacknowledged, acknowledged every 50 ms, i.e. about 4 MB/s: it drains the
            // queue, far slower than the publisher fills it
            Channel sc = sub.createChannel();
            sc.basicQos(50);
            AtomicLong lastTag = new AtomicLong();
            String tag = sc.basicConsume(q, false, new DefaultConsumer(sc) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    lastTag.set(envelope.getDeliveryTag());
                }
            });
            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> publishing = publishInBackground(pc, q, published);
            int mostAhead = 0;
            long ackedTag = 0;
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < end; ) {
                Thread.sleep(50);
                long upTo = lastTag.get();
                if (upTo > ackedTag) {
                    sc.basicAck(upTo, true);
                    ackedTag = upTo;
                }
                mostAhead = Math.max(mostAhead, published.get() - (int) ackedTag);
            }
            assertThat(mostAhead).as("messages the publisher got ahead of the consumer").isLessThan(PAUSED_BELOW);
            assertThat(publishing).as("held to the consumer's pace, not done in 5 s").isNotDone();

            // the consumer goes: no consumer to wait for, the publisher finishes
            sc.basicCancel(tag);
            publishing.get(60, TimeUnit.SECONDS);
            assertThat(published.get()).isEqualTo(MESSAGES);
            sc.close();
            assertThat(Amqp.messageCount(pc, q)).as("all but the acknowledged ones, the rest requeued")
                    .isEqualTo(MESSAGES - (int) ackedTag);
        }
    }

    @Test
    void aConsumerThatStopsTakingMessagesLetsThePublisherGoAfterASecond() throws Exception {
        // it holds its deliveries unacknowledged and never asks for more: the queue stops draining, and waiting
        // for it would stop the publisher for as long as it stays connected
        String q = unique("stalled");
        try (Connection pub = Amqp.connect(broker); Connection sub = Amqp.connect(broker)) {
            Channel pc = pub.createChannel();
            pc.queueDeclare(q, false, false, false, null);
            Channel sc = sub.createChannel();
            sc.basicConsume(q, false, new DefaultConsumer(sc));
            AtomicInteger published = new AtomicInteger();
            publishInBackground(pc, q, published).get(60, TimeUnit.SECONDS);
            assertThat(published.get()).isEqualTo(MESSAGES);
            sc.close();
            assertThat(Amqp.messageCount(pc, q)).isEqualTo(MESSAGES);
        }
    }

    @Test
    void aConnectionThatAlsoConsumesFromTheQueueIsNotPaused() throws Exception {
        // pausing it would stop reading the acknowledgements that drain the queue: it would never go on
        String q = unique("same");
        try (Connection conn = Amqp.connect(broker)) {
            Channel pc = conn.createChannel();
            pc.queueDeclare(q, false, false, false, null);
            Channel sc = conn.createChannel();
            AtomicInteger delivered = new AtomicInteger();
            sc.basicConsume(q, false, new DefaultConsumer(sc) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    delivered.incrementAndGet();
                }
            });
            AtomicInteger published = new AtomicInteger();
            publishInBackground(pc, q, published).get(60, TimeUnit.SECONDS);
            assertThat(published.get()).isEqualTo(MESSAGES);
            sc.close();
            assertThat(Amqp.messageCount(pc, q)).isEqualTo(MESSAGES);
            pc.queueDelete(q);
        }
    }

    @Test
    void aQueueWithoutConsumersTakesMoreThanTheMarkWithoutPausingItsPublisher() throws Exception {
        String q = unique("fill");
        try (Connection pub = Amqp.connect(broker)) {
            Channel pc = pub.createChannel();
            pc.queueDeclare(q, false, false, false, null);
            AtomicInteger published = new AtomicInteger();
            publishInBackground(pc, q, published).get(60, TimeUnit.SECONDS);
            assertThat(Amqp.messageCount(pc, q)).isEqualTo(MESSAGES);
            pc.queueDelete(q);
        }
    }

    /** Publishes {@link #MESSAGES} transient messages on another thread: a paused connection's writes stall. */
    private static CompletableFuture<Void> publishInBackground(Channel channel, String queue, AtomicInteger count) {
        return CompletableFuture.runAsync(() -> {
            byte[] body = new byte[MESSAGE_SIZE];
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    channel.basicPublish("", queue, null, body);
                    count.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
