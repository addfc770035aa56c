package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.examples.ExactlyOnceWorker;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** G6: the exactly-once pattern of docs/GUARANTEES.md, with the example of docs/examples, against a real broker. */
class ExactlyOnceIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    Connection conn;
    Channel ch;
    String input;
    String output;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        ch = conn.createChannel();
        input = unique("inputs");
        output = unique("results");
        ExactlyOnceWorker.declareQueues(ch, input, output);
    }

    @AfterEach
    void close() {
        Amqp.closeQuietly(conn);
    }

    @Test
    void resentInputsAndAWorkerDyingMidTransactionStillGiveEachResultOnce() throws Exception {
        ch.confirmSelect();
        for (int i = 0; i < 20; i++) {
            publishInput("in-" + i);
        }
        publishInput("in-5"); // publishers resent two inputs after lost confirms
        publishInput("in-7");
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());

        // a worker dies after publishing and acking, before its commit: nothing of it took effect
        Connection doomed = Amqp.connect(broker);
        Channel dying = doomed.createChannel();
        dying.txSelect();
        var taken = dying.basicGet(input, false);
        dying.basicPublish("", output, null, taken.getBody());
        dying.basicAck(taken.getEnvelope().getDeliveryTag(), false);
        doomed.abort();
        await().atMost(Amqp.TIMEOUT).until(() -> ch.messageCount(input) == 22); // its input is back

        try (ExactlyOnceWorker worker = new ExactlyOnceWorker(conn, input, output, body -> body)) {
            assertThat(worker.drain()).isEqualTo(22);
        }
        List<String> results = new ArrayList<>();
        for (var result = ch.basicGet(output, true); result != null; result = ch.basicGet(output, true)) {
            results.add(result.getProps().getMessageId());
        }
        assertThat(results).hasSize(20).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith("result-of-in-"));
        assertThat(ch.messageCount(input)).isZero();
    }

    @Test
    void theExampleRunsAsDocumented() throws Exception {
        ExactlyOnceWorker.main(new String[]{broker.uri()});
        assertThat(ch.messageCount("example-results")).isEqualTo(10);
        assertThat(ch.messageCount("example-inputs")).isZero();
    }

    private void publishInput(String id) throws Exception {
        ch.basicPublish("", input, new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(),
                id.getBytes(StandardCharsets.UTF_8));
    }
}
