package io.ferrymq.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostNamesTest {

    @Test
    void aWildcardBindAddressIsShownAsLocalhost() {
        assertThat(HostNames.connectable("0.0.0.0")).isEqualTo("localhost");
        assertThat(HostNames.connectable("::")).isEqualTo("localhost");
        assertThat(HostNames.connectable("0:0:0:0:0:0:0:0")).isEqualTo("localhost");
    }

    @Test
    void anyOtherBindAddressIsShownAsConfigured() {
        assertThat(HostNames.connectable("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(HostNames.connectable("::1")).isEqualTo("::1");
        assertThat(HostNames.connectable("broker.example")).isEqualTo("broker.example");
        assertThat(HostNames.connectable("not:an:address")).isEqualTo("not:an:address");
    }

    @Test
    void ipv6LiteralsAreBracketedInUrls() {
        assertThat(HostNames.forUrl(HostNames.connectable("::1"))).isEqualTo("[::1]");
        assertThat(HostNames.forUrl(HostNames.connectable("::"))).isEqualTo("localhost");
    }

    @Test
    void theNodeNameIsFerrymqAtAHost() {
        assertThat(HostNames.nodeName()).startsWith("ferrymq@").hasSizeGreaterThan("ferrymq@".length());
    }
}
