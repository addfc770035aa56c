package io.ferrymq.it;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker going away: open connections are told 320 CONNECTION_FORCED. A broker of its own. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerShutdownIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    @Test
    @Order(1)
    void restartForcesConnectionsClosed() throws Exception {
        Connection conn = Amqp.connect(broker);
        Recorder consumer = new Recorder(conn.createChannel());
        String other = consumer.getChannel().queueDeclare().getQueue();
        consumer.getChannel().basicConsume(other, consumer);
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        conn.addShutdownListener(closed::complete);

        broker.restart();

        AMQP.Connection.Close close = Amqp.assertConnectionClose(Amqp.await(closed, "connection close"),
                AMQP.CONNECTION_FORCED);
        assertThat(close.getReplyText()).isNotBlank();
        assertThat(Amqp.await(consumer.shutdown, "consumer shutdown signal").isHardError()).isTrue();
        assertThat(conn.isOpen()).isFalse();
        try (Connection again = Amqp.connect(broker)) {
            assertThat(again.isOpen()).isTrue();
        }
    }

    @Test
    @Order(2)
    void persistentConfirmedMessageSurvivesRestart() throws Exception {
        String q = unique("survivor");
        try (Connection conn = Amqp.connect(broker); Channel ch = conn.createChannel()) {
            ch.queueDeclare(q, true, false, false, null);
            ch.confirmSelect();
            ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("persisted"));
            ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        }

        broker.restart();

        try (Connection again = Amqp.connect(broker); Channel c = again.createChannel()) {
            assertThat(str(c.basicGet(q, true).getBody())).isEqualTo("persisted");
            c.queueDelete(q);
        }
    }

    @Test
    @Order(3)
    void shutdownForcesConnectionsClosed() throws Exception {
        Connection conn = Amqp.connect(broker);
        Channel ch = conn.createChannel();
        Recorder consumer = new Recorder(ch);
        ch.basicConsume(ch.queueDeclare().getQueue(), consumer);
        Connection second = Amqp.connect(broker);
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        CompletableFuture<ShutdownSignalException> closed2 = new CompletableFuture<>();
        conn.addShutdownListener(closed::complete);
        second.addShutdownListener(closed2::complete);
        int port = broker.amqpPort();

        broker.server().close();

        Amqp.assertConnectionClose(Amqp.await(closed, "connection close"), AMQP.CONNECTION_FORCED);
        Amqp.assertConnectionClose(Amqp.await(closed2, "second connection close"), AMQP.CONNECTION_FORCED);
        assertThat(Amqp.await(consumer.shutdown, "consumer shutdown signal").isHardError()).isTrue();
        // and nobody is listening any more
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(port);
        f.setConnectionTimeout(2_000);
        f.setAutomaticRecoveryEnabled(false);
        assertThatThrownBy(f::newConnection).isInstanceOf(IOException.class);
    }
}
