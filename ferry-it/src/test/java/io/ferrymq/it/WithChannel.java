package io.ferrymq.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The common shape of an integration test: one in-process broker for the class (the extension counts its users, so
 * subclasses share the field safely when run one after another), and a fresh connection with one channel per test.
 */
abstract class WithChannel {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    Connection conn;
    Channel ch;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        ch = conn.createChannel();
    }

    @AfterEach
    void close() {
        Amqp.closeQuietly(conn);
    }
}
