package io.ferrymq.it;

import com.rabbitmq.client.Connection;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The common shape of an integration test: one in-process broker for the class (the extension counts its users, so
 * subclasses share the field safely when run one after another), and a fresh connection per test.
 */
abstract class WithConnection {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    Connection conn;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
    }

    @AfterEach
    void close() {
        Amqp.closeQuietly(conn);
    }
}
