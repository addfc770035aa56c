package io.ferrymq.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValuesTest {

    @Test
    void listenerAcceptsAPortOrAHostAndPort() {
        assertThat(ConfigValues.listener("5673")).isEqualTo(new ConfigValues.HostPort(null, 5673));
        assertThat(ConfigValues.listener("127.0.0.1:5673")).isEqualTo(new ConfigValues.HostPort("127.0.0.1", 5673));
        assertThat(ConfigValues.listener("[::1]:5673")).isEqualTo(new ConfigValues.HostPort("::1", 5673));
        assertThat(ConfigValues.listener(":::5673")).isEqualTo(new ConfigValues.HostPort("::", 5673));
    }

    @Test
    void listenerRefusesWhatIsNotAPort() {
        assertThatThrownBy(() -> ConfigValues.listener("localhost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> ConfigValues.listener("localhost:")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> ConfigValues.listener("65536")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ConfigValues.listener("host:x")).hasMessageContaining("0 to 65535");
    }

    @Test
    void bytesTakeRabbitMqUnits() {
        assertThat(ConfigValues.bytes("1024")).isEqualTo(1024);
        assertThat(ConfigValues.bytes("2k")).isEqualTo(2048);
        assertThat(ConfigValues.bytes("2KB")).isEqualTo(2000);
        assertThat(ConfigValues.bytes("3MiB")).isEqualTo(3L << 20);
        assertThat(ConfigValues.bytes("2GB")).isEqualTo(2_000_000_000L);
        assertThat(ConfigValues.bytes("1 G")).isEqualTo(1L << 30);
    }

    @Test
    void bytesRefuseUnknownUnitsAndOverflow() {
        assertThatThrownBy(() -> ConfigValues.bytes("2TB")).hasMessageContaining("unit");
        assertThatThrownBy(() -> ConfigValues.bytes("-1")).hasMessageContaining("unit");
        assertThatThrownBy(() -> ConfigValues.bytes("99999999999999999999")).hasMessage("too large");
    }

    @Test
    void fractionIsBetweenZeroAndOne() {
        assertThat(ConfigValues.fraction("0.6")).isEqualTo(0.6);
        assertThatThrownBy(() -> ConfigValues.fraction("1.5")).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> ConfigValues.fraction("NaN")).hasMessageContaining("from 0 to 1");
    }

    @Test
    void logLevelsAreRabbitMqNames() {
        assertThat(ConfigValues.logLevel("warning")).isEqualTo(LogLevel.WARNING);
        assertThat(ConfigValues.logLevel("NONE")).isEqualTo(LogLevel.NONE);
        assertThatThrownBy(() -> ConfigValues.logLevel("warn")).hasMessageContaining("debug, info, warning");
    }
}
