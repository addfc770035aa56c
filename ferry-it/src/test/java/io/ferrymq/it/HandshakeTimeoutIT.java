package io.ferrymq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that does not finish the handshake is disconnected after handshake_timeout. */
class HandshakeTimeoutIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension().withConfig("handshake_timeout", "2000");

    RawAmqp raw;

    @AfterEach
    void brokerStillServesOthers() throws Exception {
        if (raw != null) {
            raw.close();
        }
        RawSocketIT.assertNormalClientWorks(broker);
    }

    @Test
    void silentSocketIsClosed() throws Exception {
        raw = RawAmqp.connect(broker);
        assertThat(raw.awaitEof()).as("closed within %s (handshake_timeout 2 s)", Amqp.TIMEOUT).isTrue();
    }

    @Test
    void headerOnlyIsClosed() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start(); // connection.start arrives, then we say nothing more
        assertThat(raw.awaitEof()).as("closed within %s (handshake_timeout 2 s)", Amqp.TIMEOUT).isTrue();
    }

    @Test
    void stalledAfterTuneIsClosed() throws Exception {
        raw = RawAmqp.connect(broker);
        raw.start();
        raw.startOkAndTune(); // no tune-ok, no connection.open
        assertThat(raw.awaitEof()).as("closed within %s (handshake_timeout 2 s)", Amqp.TIMEOUT).isTrue();
    }

    @Test
    void completedHandshakeOutlivesTheTimeout() throws Exception {
        raw = RawAmqp.connect(broker).handshake();
        raw.openChannel(1);
        // well past handshake_timeout, an opened connection is still served
        raw.socket.setSoTimeout(3_000);
        assertThat(raw.awaitEof()).as("an opened connection must not be closed by the handshake timer").isFalse();
        raw.socket.setSoTimeout((int) Amqp.TIMEOUT.toMillis());
        raw.writeMethod(1, RawAmqp.queueDeclare("", new byte[0]));
        raw.expectMethod(50, 11);
    }
}
