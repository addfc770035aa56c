package io.ferrymq.server;

import io.ferrymq.core.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @Test
    void defaultsAreRabbitMqs() {
        ServerConfig config = ServerConfig.from(List.of());

        assertThat(config).isEqualTo(ServerConfig.defaults());
        assertThat(config.amqpHost()).isEqualTo("0.0.0.0");
        assertThat(config.amqpPort()).isEqualTo(5672);
        assertThat(config.httpPort()).isEqualTo(15672);
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.defaultUser()).isEqualTo("guest");
        assertThat(config.memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.4));
        assertThat(config.diskFreeLimitBytes()).as("RabbitMQ's 50MB").isEqualTo(50_000_000L);
        assertThat(config.maxMessageSizeBytes()).isEqualTo(BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(config.frameMax()).isEqualTo(131072);
        assertThat(config.channelMax()).isEqualTo(2047);
        assertThat(config.heartbeatSeconds()).isEqualTo(60);
        assertThat(config.handshakeTimeoutMillis()).isEqualTo(10_000);
        assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(config.ioThreads()).as("0: half the cores, at least one").isZero();
    }

    @Test
    void everyKeySetsItsField() {
        ServerConfig config = ServerConfig.from(List.of(
                setting("listeners.tcp.default", "127.0.0.1:5673"),
                setting("management.tcp.port", "15673"),
                setting("management.tcp.ip", "127.0.0.2"),
                setting("data_dir", "/var/lib/ferry"),
                setting("default_user", "admin"),
                setting("default_pass", "s3cret#1"),
                setting("vm_memory_high_watermark.absolute", "512MiB"),
                setting("disk_free_limit.absolute", "1GB"),
                setting("max_message_size", "1048576"),
                setting("frame_max", "4096"),
                setting("channel_max", "16"),
                setting("io_threads", "3"),
                setting("heartbeat", "0"),
                setting("handshake_timeout", "2500"),
                setting("consumer_timeout", "60000"),
                setting("log.level", "debug"),
                setting("trace.max_events", "500"),
                setting("trace.max_age", "60000")));

        assertThat(config).isEqualTo(new ServerConfig("127.0.0.1", 5673, "127.0.0.2", 15673, Path.of("/var/lib/ferry"),
                "admin", "s3cret#1", new MemoryWatermark.Absolute(512L << 20), 1_000_000_000L, 1048576, 4096, 16, 0,
                2500, 60000, LogLevel.DEBUG, 500, 60000L, 3));
    }

    @Test
    void aBarePortKeepsTheHost() {
        ServerConfig config = ServerConfig.from(List.of(
                setting("listeners.tcp.default", "127.0.0.1:5673"), setting("listeners.tcp.default", "5674")));

        assertThat(config.amqpHost()).isEqualTo("127.0.0.1");
        assertThat(config.amqpPort()).isEqualTo(5674);
    }

    @Test
    void theLaterWatermarkWins() {
        ServerConfig config = ServerConfig.from(List.of(
                setting("vm_memory_high_watermark.absolute", "1GB"),
                setting("vm_memory_high_watermark.relative", "0.6")));

        assertThat(config.memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.6));
        assertThat(config.memoryHighWatermark().bytes(1000)).isEqualTo(600);
    }

    @Test
    void anUnknownKeyIsNamedWithItsOrigin() {
        assertThatThrownBy(() -> ServerConfig.from(List.of(new Setting("listeners.tcp.defualt", "5672",
                "/etc/ferry.conf line 3"))))
                .isInstanceOf(StartupException.class)
                .hasMessage("/etc/ferry.conf line 3: unknown key 'listeners.tcp.defualt'"
                        + " (docs/CONFIGURATION.md lists the keys)");
    }

    @Test
    void aBadValueIsNamedWithKeyValueAndOrigin() {
        assertThatThrownBy(() -> ServerConfig.from(List.of(new Setting("frame_max", "1024", "/etc/ferry.conf line 7"))))
                .isInstanceOf(StartupException.class)
                .hasMessage("/etc/ferry.conf line 7: frame_max = '1024': expected a whole number from 4096 to "
                        + Integer.MAX_VALUE);
    }

    @Test
    void ioThreadsAreAWholeNumberUpTo1024() {
        assertThat(ServerConfig.from(List.of(setting("io_threads", "0"))).ioThreads()).isZero();
        assertThat(ServerConfig.from(List.of(setting("io_threads", "1024"))).ioThreads()).isEqualTo(1024);
        for (String bad : List.of("-1", "1025", "two", "")) {
            Setting setting = new Setting("io_threads", bad, "/etc/ferry.conf line 4");

            assertThatThrownBy(() -> ServerConfig.from(List.of(setting)))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("/etc/ferry.conf line 4: io_threads = '" + bad + "': expected a whole number"
                            + " from 0 to 1024");
        }
    }

    private static Setting setting(String key, String value) {
        return new Setting(key, value, "test");
    }
}
