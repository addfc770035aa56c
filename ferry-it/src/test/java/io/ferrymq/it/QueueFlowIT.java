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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queue flow control: a queue whose consumers fall behind pauses its publishers once it holds 4 MiB of messages in
 * memory (its resident budget, 8 MiB by default, if that were smaller), and lets them go when it drains to half; a queue without
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
    void aPublisherPausesWhileTheQueuesConsumerHoldsTooMuchAndGoesOnWhenItLeaves() throws Exception {
        String q = unique("flow");
        try (Connection pub = Amqp.connect(broker); Connection sub = Amqp.connect(broker)) {
            Channel pc = pub.createChannel();
            pc.queueDeclare(q, false, false, false, null);
            // a consumer that takes everything (no prefetch limit) and acknowledges nothing: all it holds counts
            Channel sc = sub.createChannel();
            AtomicInteger delivered = new AtomicInteger();
            String tag = sc.basicConsume(q, false, new DefaultConsumer(sc) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    delivered.incrementAndGet();
                }
            });

            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> publishing = publishInBackground(pc, q, published);

            int stalledAt = awaitStall(published, publishing);
            assertThat(stalledAt).as("messages published before the queue paused its publisher")
                    .isLessThan(PAUSED_BELOW);
            assertThat(publishing).isNotDone();

            // the consumer goes (its deliveries stay unacknowledged on its channel): no consumer to wait for
            sc.basicCancel(tag);
            publishing.get(60, TimeUnit.SECONDS);
            assertThat(published.get()).isEqualTo(MESSAGES);
            int held = delivered.get();
            assertThat(held).isLessThanOrEqualTo(stalledAt);
            assertThat(Amqp.messageCount(pc, q)).isEqualTo(MESSAGES - held);
            sc.close();
            assertThat(Amqp.messageCount(pc, q)).as("with the held ones requeued").isEqualTo(MESSAGES);
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

    /**
     * Waits until the publisher makes no progress for two seconds (or finishes: then flow control did not pause it
     * and the caller's bound fails) and returns how far it got. The two seconds only tell "stopped" from "slow".
     */
    private static int awaitStall(AtomicInteger published, CompletableFuture<Void> publishing) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int last = -1;
        int unchanged = 0;
        while (unchanged < 4 && !publishing.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            int now = published.get();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return published.get();
    }
}
