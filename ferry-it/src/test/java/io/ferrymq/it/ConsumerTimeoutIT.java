package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Consumer ack timeouts: the broker's consumer_timeout and a queue's x-consumer-timeout. */
class ConsumerTimeoutIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension().withConfig("consumer_timeout", "1500");

    Connection conn;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
    }

    @AfterEach
    void close() {
        Amqp.closeQuietly(conn);
    }

    /** Consumes without acking and returns the channel's close once the broker closes it. */
    private AMQP.Channel.Close holdUnacked(String q) throws Exception {
        Channel ch = conn.createChannel();
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        ch.addShutdownListener(closed::complete);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, false, recorder);
        ch.basicPublish("", q, null, utf8("held"));
        assertThat(recorder.next().getEnvelope().getDeliveryTag()).isEqualTo(1);
        ShutdownSignalException sse = Amqp.await(closed, "the broker to close the channel");
        assertThat(sse.isHardError()).isFalse();
        assertThat(conn.isOpen()).isTrue();
        AMQP.Channel.Close close = (AMQP.Channel.Close) sse.getReason();
        assertThat(close.getReplyCode()).isEqualTo(406);
        return close;
    }

    @Test
    void theQueueTimeoutClosesTheChannelWith406NamingTagAndTimeout() throws Exception {
        String q = unique("timeout");
        try (Channel declare = conn.createChannel()) {
            declare.queueDeclare(q, false, false, false, Map.of("x-consumer-timeout", 300));
        }
        AMQP.Channel.Close close = holdUnacked(q);
        assertThat(close.getReplyText()).startsWith("PRECONDITION_FAILED - delivery acknowledgement")
                .contains("delivery tag 1").contains("Timeout value used: 300 ms");
        try (Channel other = conn.createChannel()) {
            GetResponse again = other.basicGet(q, true);
            assertThat(again).isNotNull();
            assertThat(again.getEnvelope().isRedeliver()).isTrue();
            assertThat(again.getProps().getHeaders().get("x-delivery-count")).isEqualTo(1L);
        }
    }

    @Test
    void theBrokerTimeoutAppliesToQueuesWithoutTheirOwn() throws Exception {
        String q = unique("default");
        try (Channel declare = conn.createChannel()) {
            declare.queueDeclare(q, false, false, false, null);
        }
        AMQP.Channel.Close close = holdUnacked(q);
        assertThat(close.getReplyText()).contains("Timeout value used: 1500 ms");
    }

    @Test
    void anAcknowledgedDeliveryNeverTimesOut() throws Exception {
        String q = unique("acked");
        Channel ch = conn.createChannel();
        ch.queueDeclare(q, false, false, false, Map.of("x-consumer-timeout", 200));
        ch.basicPublish("", q, null, utf8("m"));
        GetResponse got = ch.basicGet(q, false);
        ch.basicAck(got.getEnvelope().getDeliveryTag(), false);
        Thread.sleep(600); // three timeouts: an open channel now shows nothing timed out
        assertThat(ch.isOpen()).isTrue();
        ch.queueDeclarePassive(q);
    }
}
