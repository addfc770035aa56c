package io.ferrymq.it;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.BeforeEach;

/** {@link WithConnection} with one channel open on the connection for each test. */
abstract class WithChannel extends WithConnection {

    Channel ch;

    @BeforeEach
    void openChannel() throws Exception {
        ch = conn.createChannel();
    }
}
