package io.ferrymq.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;

import static org.assertj.core.api.Assertions.assertThat;

class ListenFailureTest {

    @Test
    void aTakenPortReadsTheSameFromEveryTransport() {
        var nio = new BindException("Address already in use");
        var wrapped = new IllegalStateException("cannot listen for AMQP on 0.0.0.0:5672: address already in use",
                new IOException("bind(..) failed: Address already in use"));

        assertThat(ListenFailure.of("0.0.0.0", 5672, nio))
                .hasMessage("cannot listen on 0.0.0.0:5672: address already in use").hasCause(nio);
        assertThat(ListenFailure.of("0.0.0.0", 5672, wrapped))
                .hasMessage("cannot listen on 0.0.0.0:5672: address already in use");
    }

    @Test
    void otherFailuresKeepTheirDeepestReason() {
        assertThat(ListenFailure.of("::1", 80, new IllegalStateException("wrapped",
                new BindException("Permission denied"))))
                .hasMessage("cannot listen on [::1]:80: permission denied");
        assertThat(ListenFailure.of("no.such.host", 5672, new UnresolvedAddressException()))
                .hasMessage("cannot listen on no.such.host:5672: unknown host");
    }
}
