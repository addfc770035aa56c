package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Disk alarm: with {@code disk_free_limit.absolute} above what any disk holds, the node starts with the alarm on:
 * the health check fails, publishes are held while consumers keep going, and lowering the limit releases them.
 * Raising it again while a client is connected sends connection.blocked ("low on disk"), and lowering it
 * connection.unblocked. (A client connecting while the alarm is on gets connection.blocked right after open-ok,
 * before the Java client lets it add a BlockedListener; hence the second part.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first test sees the node as the config started it
class DiskAlarmIT {
    private static final long MORE_THAN_ANY_DISK = 1_000_000_000_000_000_000L;

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension()
            .withConfig("disk_free_limit.absolute", "1000000000GB");

    @Test
    @Order(1)
    void publishesAreHeldBelowTheFreeDiskLimitAndReleasedWhenItIsLowered() throws Exception {
        String q = unique("disk");
        try (Connection pub = Amqp.connect(broker); Connection sub = Amqp.connect(broker)) {
            assertThat(alarmsHealth().statusCode()).isEqualTo(503);
            assertThat(alarmsHealth().body()).contains("low on disk").contains("disk_free_limit");

            Channel pc = pub.createChannel();
            pc.queueDeclare(q, true, false, false, null);
            pc.confirmSelect();
            // as in RabbitMQ, the publish that finds the alarm on is taken and blocks the connection: what was read
            // with it is taken too, so wait for its confirm before the publish that must be held
            pc.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, utf8("first"));
            assertThat(pc.waitForConfirms(Amqp.TIMEOUT.toMillis())).isTrue();
            // from another thread: a blocked connection's writes may stall
            CompletableFuture<Boolean> confirmed = CompletableFuture.supplyAsync(() -> {
                try {
                    pc.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, utf8("held"));
                    return pc.waitForConfirms(Amqp.TIMEOUT.toMillis() * 3);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // the alarm blocks publishers only: another connection still declares and reads
            Channel sc = sub.createChannel();
            assertThat(sc.queueDeclarePassive(q).getQueue()).isEqualTo(q);
            assertThat(confirmed).as("nothing is confirmed while the alarm is on").isNotDone();

            broker.server().diskMonitor().setLimit(0);
            assertThat(Amqp.await(confirmed, "the publishes to be confirmed")).isTrue();
            assertThat(alarmsHealth().statusCode()).isEqualTo(200);
            assertThat(Amqp.str(sc.basicGet(q, true).getBody())).isEqualTo("first");
            assertThat(Amqp.str(sc.basicGet(q, true).getBody())).isEqualTo("held");
            sc.queueDelete(q);
        }
    }

    @Test
    @Order(2)
    void aConnectedPublisherIsToldWhenTheDiskAlarmStartsAndEnds() throws Exception {
        broker.server().diskMonitor().setLimit(0);
        CompletableFuture<String> blocked = new CompletableFuture<>();
        CompletableFuture<Void> unblocked = new CompletableFuture<>();
        try (Connection pub = Amqp.connect(broker)) {
            pub.addBlockedListener(blocked::complete, () -> {
                if (blocked.isDone()) {
                    unblocked.complete(null);
                }
            });
            broker.server().diskMonitor().setLimit(MORE_THAN_ANY_DISK);
            assertThat(Amqp.await(blocked, "connection.blocked")).startsWith("low on disk");
            assertThat(unblocked).isNotDone();
            broker.server().diskMonitor().setLimit(0);
            Amqp.await(unblocked, "connection.unblocked");
        }
    }
    private static HttpResponse<String> alarmsHealth() throws Exception {
        String credentials = Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + broker.host() + ":" + broker.httpPort() + "/api/health/checks/alarms"))
                .header("Authorization", "Basic " + credentials).timeout(Amqp.TIMEOUT).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
