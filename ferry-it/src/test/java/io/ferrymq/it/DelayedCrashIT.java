package io.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.ferrymq.it.crash.CrashChildren;
import io.ferrymq.testkit.ChildBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed messages and retries across a {@code kill -9} of a child broker: persistent messages held by a durable
 * delayed exchange are delivered after the restart (those that fell due while it was down right after start, the
 * others when due), and a message waiting for its retry is still waiting after the restart, and comes with its
 * delivery count kept.
 */
class DelayedCrashIT {
    /** How long a start or a channel call may take before the test calls it a hang. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    private static final String DELAYED = "crash-delayed-x";
    private static final String TARGET = "crash-delayed-q";
    private static final String RETRY = "crash-retry-q";
    /** Long enough that the second retry is still waiting when the broker is back. */
    private static final int SECOND_RETRY_MS = 15_000;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void delayedAndRetryingMessagesSurviveKillNine(@TempDir Path dataDir) throws Exception {
        long killedAt;
        try (ChildBroker child = child(dataDir)) {
            Connection conn = connect(child);
            Channel ch = conn.createChannel();
            ch.exchangeDeclare(DELAYED, "x-delayed-message", true, false, Map.of("x-delayed-type", "direct"));
            ch.queueDeclare(TARGET, true, false, false, null);
            ch.queueBind(TARGET, DELAYED, "k");
            ch.queueDeclare(RETRY, true, false, false, Map.of("x-retry-delay", 300,
                    "x-retry-multiplier", SECOND_RETRY_MS / 300, "x-delivery-limit", 10));
            ch.confirmSelect();
            ch.basicPublish(DELAYED, "k", delayed(1_000), Amqp.utf8("due while down 1"));
            ch.basicPublish(DELAYED, "k", delayed(1_000), Amqp.utf8("due while down 2"));
            ch.basicPublish(DELAYED, "k", delayed(20_000), Amqp.utf8("due after the restart"));
            ch.basicPublish("", RETRY, MessageProperties.PERSISTENT_BASIC, Amqp.utf8("flaky"));
            ch.waitForConfirmsOrDie(10_000);

            GetResponse first = ch.basicGet(RETRY, false);
            ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
            GetResponse second = awaitGet(ch, RETRY, Duration.ofSeconds(10));
            assertThat(second.getProps().getHeaders()).containsEntry("x-delivery-count", 1L);
            ch.basicNack(second.getEnvelope().getDeliveryTag(), false, true);
            // a synchronous reply after the nack makes its delivery state durable (G1b)
            assertThat(ch.queueDeclarePassive(RETRY).getMessageCount()).isEqualTo(1);
            assertThat(ch.queueDeclarePassive(TARGET).getMessageCount()).isZero();
            child.kill9();
            killedAt = System.nanoTime();
        }
        // the 1 s delays end while the broker is down
        Thread.sleep(Math.max(0, 1_500 - (System.nanoTime() - killedAt) / 1_000_000));
        try (ChildBroker child = child(dataDir)) {
            Connection conn = connect(child);
            Channel ch = conn.createChannel();
            assertThat(ch.basicGet(RETRY, false)).as("the retry still waits for its delay").isNull();

            List<String> early = new ArrayList<>();
            early.add(Amqp.str(awaitGet(ch, TARGET, Duration.ofSeconds(10)).getBody()));
            early.add(Amqp.str(awaitGet(ch, TARGET, Duration.ofSeconds(10)).getBody()));
            assertThat(early).containsExactly("due while down 1", "due while down 2");

            GetResponse retried = awaitGet(ch, RETRY, Duration.ofSeconds(SECOND_RETRY_MS / 1000 + 20));
            assertThat(Amqp.str(retried.getBody())).isEqualTo("flaky");
            assertThat(retried.getEnvelope().isRedeliver()).isTrue();
            assertThat(retried.getProps().getHeaders()).as("two deliveries before the kill")
                    .containsEntry("x-delivery-count", 2L);
            ch.basicAck(retried.getEnvelope().getDeliveryTag(), false);

            GetResponse late = awaitGet(ch, TARGET, Duration.ofSeconds(40));
            assertThat(Amqp.str(late.getBody())).isEqualTo("due after the restart");
            assertThat(late.getProps().getHeaders()).containsEntry("x-delay", -20_000);
            assertThat(ch.basicGet(TARGET, true)).isNull();
            conn.close();
        }
    }

    private static AMQP.BasicProperties delayed(int delay) {
        return MessageProperties.PERSISTENT_BASIC.builder().headers(Map.of("x-delay", delay)).build();
    }

    /** Polls with basic.get (auto-ack for the target, manual for retries) until a message comes or time is up. */
    private static GetResponse awaitGet(Channel ch, String queue, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse got = ch.basicGet(queue, !queue.equals(RETRY));
            if (got != null) {
                return got;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing in " + queue + " within " + within);
    }

    private static ChildBroker child(Path dataDir) {
        return CrashChildren.start(dataDir, HANG_GUARD);
    }

    private static Connection connect(ChildBroker child) throws Exception {
        return CrashChildren.connect(child, HANG_GUARD);
    }
}
