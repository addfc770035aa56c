package io.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.ferrymq.it.crash.CrashChildren;
import io.ferrymq.testkit.ChildBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure handling across a {@code kill -9}: a persistent message waiting for its retry is still there after the
 * restart, and still waiting (the retry schedule is stored; DelayedCrashIT sees such a retry come), and a message
 * dead-lettered from a durable queue to a durable one is in the dead-letter queue once, and no longer in its old
 * queue.
 */
class FailureCrashIT {
    /** How long a start or a channel call may take before the test calls it a hang. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    private static final String WORK = "crash-retry-work";
    private static final String DLX = "crash-dlx";
    private static final String DLQ = "crash-dlq";

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void retriesAndDeadLettersSurviveKillNine(@TempDir Path dataDir) throws Exception {
        try (ChildBroker child = child(dataDir)) {
            Connection conn = connect(child);
            Channel ch = conn.createChannel();
            ch.exchangeDeclare(DLX, "fanout", true);
            ch.queueDeclare(DLQ, true, false, false, null);
            ch.queueBind(DLQ, DLX, "");
            ch.queueDeclare(WORK, true, false, false, Map.of("x-dead-letter-exchange", DLX,
                    "x-retry-delay", 600_000));
            ch.confirmSelect();
            ch.basicPublish("", WORK, MessageProperties.PERSISTENT_BASIC, Amqp.utf8("retry me"));
            ch.basicPublish("", WORK, MessageProperties.PERSISTENT_BASIC, Amqp.utf8("dead"));
            ch.waitForConfirmsOrDie(10_000);
            GetResponse retry = ch.basicGet(WORK, false);
            GetResponse dead = ch.basicGet(WORK, false);
            ch.basicNack(retry.getEnvelope().getDeliveryTag(), false, true);
            ch.basicReject(dead.getEnvelope().getDeliveryTag(), false);
            // a synchronous reply after the settlements makes them durable (G1b)
            assertThat(ch.queueDeclarePassive(DLQ).getMessageCount()).isEqualTo(1);
            assertThat(ch.basicGet(WORK, false)).as("the retry waits for its delay").isNull();
            child.kill9();
        }
        try (ChildBroker child = child(dataDir)) {
            Connection conn = connect(child);
            Channel ch = conn.createChannel();
            assertThat(ch.basicGet(WORK, false)).as("the retry still waits for its delay").isNull();
            assertThat(ch.queueDeclarePassive(WORK).getMessageCount()).as("waiting, not lost").isEqualTo(1);
            GetResponse dead = ch.basicGet(DLQ, true);
            assertThat(Amqp.str(dead.getBody())).isEqualTo("dead");
            assertThat(dead.getProps().getHeaders()).containsKey("x-death");
            assertThat(ch.basicGet(DLQ, true)).isNull();
            conn.close();
        }
    }

    private static ChildBroker child(Path dataDir) {
        return CrashChildren.start(dataDir, HANG_GUARD);
    }

    private static Connection connect(ChildBroker child) throws Exception {
        return CrashChildren.connect(child, HANG_GUARD);
    }
}
