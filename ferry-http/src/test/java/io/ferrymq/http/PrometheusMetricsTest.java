package io.ferrymq.http;

import io.ferrymq.common.Clock;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.timer.ClockScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} in Prometheus' conventions, checked by Prometheus' own {@code promtool check metrics}. */
class PrometheusMetricsTest {
    private final LocalBroker broker = new LocalBroker(
            new BrokerConfig("admin", "secret", 1L << 30, BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE), Clock.system());
    private final PrometheusMetrics metrics = new PrometheusMetrics(broker);
    private final BrokerConnection connection = broker.connect(
            new ConnectionInfo("c1", "admin", "127.0.0.1:1", "AMQP 0-9-1", Map.of()), "/");

    @AfterEach
    void close() {
        connection.close();
        broker.shutdown();
    }

    @Test
    void exposesTheBrokersCountsPerQueueAndInTotal() {
        Session session = connection.openSession(1);
        declare(session, "orders");
        declare(session, "invoices");
        publish(session, "orders", "a");
        publish(session, "orders", "b");
        session.get("orders", false).toCompletableFuture().join();

        String text = metrics.scrape();

        assertThat(text).contains("ferrymq_connections 1.0", "ferrymq_channels 1.0", "ferrymq_queues 2.0",
                "ferrymq_messages_published_total 2.0", "ferrymq_messages_delivered_total 1.0",
                "ferrymq_messages_ready 1.0", "ferrymq_messages_unacked 1.0", "ferrymq_memory_alarm 0.0",
                "ferrymq_store_fsyncs_total 0.0", "# TYPE ferrymq_memory_used_bytes gauge",
                "ferrymq_queue_messages_ready{queue=\"orders\",vhost=\"/\"} 1.0",
                "ferrymq_queue_messages_unacked{queue=\"orders\",vhost=\"/\"} 1.0",
                "ferrymq_queue_messages_ready{queue=\"invoices\",vhost=\"/\"} 0.0");

        session.deleteQueue("invoices", false, false).toCompletableFuture().join();
        assertThat(metrics.scrape()).doesNotContain("queue=\"invoices\"");
    }

    @Test
    void countsDeadLettersByReasonAndExpiredAndDeduplicatedMessages() {
        // time by hand, so that a message's TTL has surely passed when the queue's timer runs
        long[] now = {1_700_000_000_000L};
        Clock clock = new Clock() {
            @Override
            public long millis() {
                return now[0];
            }

            @Override
            public long nanos() {
                return now[0] * 1_000_000;
            }
        };
        ClockScheduler timers = ClockScheduler.manual(clock);
        LocalBroker timed = new LocalBroker(new BrokerConfig("admin", "secret", 1L << 30,
                BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE), clock, Persistence.NONE, timers);
        BrokerConnection conn = timed.connect(new ConnectionInfo("c2", "admin", "127.0.0.1:2", "AMQP 0-9-1",
                Map.of()), "/");
        try {
            Session session = conn.openSession(1);
            declare(session, "dlq");
            session.declareQueue(new QueueDeclaration("work", false, false, false, false, Map.of(
                    "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dlq"))).toCompletableFuture().join();
            session.declareQueue(new QueueDeclaration("lost", false, false, false, false, Map.of(
                    "x-message-ttl", 10L))).toCompletableFuture().join();
            session.declareQueue(new QueueDeclaration("once", false, false, false, false, Map.of(
                    "x-message-deduplication", true))).toCompletableFuture().join();
            publish(session, "work", "a");
            session.get("work", false).toCompletableFuture().join();
            session.settle(1, false, SettleOp.DISCARD);
            publish(session, "lost", "b");
            now[0] += 11;
            timers.runDue();
            for (int i = 0; i < 2; i++) {
                session.publish(new PublishRequest(new Message("", "once", new MessageProperties(null, null,
                        Map.of("x-deduplication-header", "k"), null, null, null, null, null, null, null, null, null,
                        null, null), new byte[0]), false)).toCompletableFuture().join();
            }

            assertThat(new PrometheusMetrics(timed).scrape()).contains(
                    "ferrymq_messages_dead_lettered_total{reason=\"rejected\"} 1.0",
                    "ferrymq_messages_dead_lettered_total{reason=\"expired\"} 0.0",
                    "ferrymq_messages_dead_letter_dropped_total{reason=\"expired\"} 1.0",
                    "ferrymq_messages_expired_total 1.0",
                    "ferrymq_messages_deduplicated_total 1.0");
        } finally {
            conn.close();
            timed.shutdown();
        }
    }

    @Test
    void passesPromtoolCheckMetrics(@TempDir Path dir) throws Exception {
        Session session = connection.openSession(1);
        declare(session, "orders");
        publish(session, "orders", "a");
        Path scraped = dir.resolve("metrics.txt");
        Files.writeString(scraped, metrics.scrape());

        Process check = new ProcessBuilder(promtool(), "check", "metrics").redirectInput(scraped.toFile())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    /** promtool's path, installed by the project's script when the machine lacks it. */
    private static String promtool() throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("tools/ensure-promtool.sh");
        Process ensure = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String path = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(ensure.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(ensure.exitValue()).as("tools/ensure-promtool.sh failed: see its output above").isZero();
        return path;
    }

    private static void declare(Session session, String queue) {
        session.declareQueue(new QueueDeclaration(queue, false, false, false, false, Map.of()))
                .toCompletableFuture().join();
    }

    private static void publish(Session session, String queue, String body) {
        session.publish(new PublishRequest(new Message("", queue, MessageProperties.EMPTY,
                body.getBytes(StandardCharsets.UTF_8)), false)).toCompletableFuture().join();
    }
}
