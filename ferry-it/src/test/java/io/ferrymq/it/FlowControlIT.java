package io.ferrymq.it;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Memory alarm: connection.blocked when messages in memory pass the watermark, unblocked once drained. */
class FlowControlIT {

    static final int WATERMARK = 1024 * 1024;
    static final int MESSAGE_SIZE = 100 * 1024;
    static final int MESSAGES = 30; // 3 MB, three times the watermark

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension()
            .withConfig("vm_memory_high_watermark.absolute", String.valueOf(WATERMARK));

    static byte[] body(int i) {
        byte[] b = new byte[MESSAGE_SIZE];
        Arrays.fill(b, (byte) ('a' + i % 26));
        byte[] label = String.format("%04d", i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, b, 0, label.length);
        return b;
    }

    @Test
    void publisherIsBlockedAboveTheWatermarkAndUnblockedWhenDrained() throws Exception {
        String q = unique("flow");
        CompletableFuture<String> blocked = new CompletableFuture<>();
        CompletableFuture<Void> unblocked = new CompletableFuture<>();
        try (Connection pub = Amqp.connect(broker); Connection sub = Amqp.connect(broker)) {
            pub.addBlockedListener(reason -> blocked.complete(reason), () -> {
                if (blocked.isDone()) {
                    unblocked.complete(null);
                }
            });
            Channel pc = pub.createChannel();
            pc.queueDeclare(q, false, false, false, null);

            // publish from another thread: a blocked connection's writes may stall
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        pc.basicPublish("", q, null, body(i));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            String reason = Amqp.await(blocked, "connection.blocked");
            assertThat(reason).as("connection.blocked reason").isNotBlank();
            assertThat(unblocked).isNotDone();

            // the alarm blocks publishers only: another connection still declares and consumes
            Channel sc = sub.createChannel();
            assertThat(sc.queueDeclare().getQueue()).isNotBlank();
            Recorder rec = new Recorder(sc);
            sc.basicConsume(q, true, rec);

            List<String> labels = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                byte[] b = rec.next().getBody();
                assertThat(b).hasSize(MESSAGE_SIZE);
                labels.add(str(Arrays.copyOf(b, 4)));
            }
            Amqp.await(unblocked, "connection.unblocked");
            Amqp.await(publishing, "the publisher to finish");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add(String.format("%04d", i));
            }
            assertThat(labels).as("every message arrives once, in order").containsExactlyElementsOf(expected);
            sc.queueDelete(q);
        }
    }
}
