package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer that stops reading its socket must make the broker stop writing to it (and keep the
 * messages queued), not buffer without bound; everybody else is served as usual.
 */
class SlowConsumerIT {

    static final int MESSAGE_SIZE = 128 * 1024;
    static final int MESSAGES = 120; // 15 MB: far more than the socket buffers hold

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    @Test
    void consumerThatNeverReadsDoesNotStallTheBroker() throws Exception {
        String q = unique("slow");
        try (Connection conn = Amqp.connect(broker); Channel ch = conn.createChannel()) {
            ch.queueDeclare(q, false, false, false, null);

            // an auto-ack consumer on a raw socket with a small receive buffer that is never read
            try (RawAmqp stuck = RawAmqp.connect(broker, 16 * 1024).handshake()) {
                stuck.openChannel(1);
                stuck.writeMethod(1, RawAmqp.basicConsume(q, true));
                stuck.expectMethod(60, 21); // consume-ok; from here on we never read again

                ch.confirmSelect();
                byte[] body = new byte[MESSAGE_SIZE];
                for (int i = 0; i < MESSAGES; i++) {
                    ch.basicPublish("", q, null, body);
                }
                ch.waitForConfirmsOrDie(Duration.ofSeconds(30).toMillis());

                // the broker keeps what it cannot write: messages stay in the queue, and stay there
                await().atMost(Amqp.TIMEOUT).during(Duration.ofSeconds(1))
                        .until(() -> Amqp.messageCount(ch, q) > 0);

                // and it keeps serving everybody else
                RawSocketIT.assertNormalClientWorks(broker);
                try (Connection other = Amqp.connect(broker); Channel oc = other.createChannel()) {
                    assertThat(oc.queueDeclarePassive(q).getConsumerCount()).isEqualTo(1);
                }
            }
            // the stuck consumer is gone: a normal consumer gets the rest
            await().atMost(Amqp.TIMEOUT).until(() -> ch.queueDeclarePassive(q).getConsumerCount() == 0);
            int left = Amqp.messageCount(ch, q);
            assertThat(left).isPositive();
            assertThat(ch.queueDelete(q).getMessageCount()).isEqualTo(left);
        }
    }
}
