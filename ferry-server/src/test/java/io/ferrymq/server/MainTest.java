package io.ferrymq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's failure paths, in-process; ferry-testkit's FerryServerProcessIT runs the real process. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void versionNamesTheProduct() {
        assertThat(run("--version")).isZero();
        assertThat(stdout()).isEqualTo("FerryMQ " + FerryVersion.current() + "\n");
        assertThat(FerryVersion.current()).doesNotContain("${").isNotBlank();
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).contains("Usage: ferry").contains("server");
    }

    @Test
    void anUnknownOptionIsOneLineAndExit2() {
        assertThat(run("server", "--amqp-prot", "1")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("ferry: Unknown options: '--amqp-prot', '1' (see 'ferry server --help')\n");
    }

    @Test
    void aBadOptionValueIsOneLineAndExit1() {
        assertThat(run("server", "--http-port", "99999")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("ferry: option --http-port: management.tcp.port = '99999':"
                + " expected a whole number from 0 to 65535\n");
    }

    @Test
    void anUnknownKeyInTheConfigFileIsOneLineAndExit1() throws IOException {
        Path config = Files.writeString(dir.resolve("ferry.conf"), "heartbeat = 5\nloopback_users = none\n");

        assertThat(run("server", "--config", config.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("ferry: " + config + " line 2: unknown key 'loopback_users'"
                + " (docs/CONFIGURATION.md lists the keys)\n");
    }

    @Test
    void aDataDirThatIsAFileIsOneLineAndExit1() throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");

        assertThat(run("server", "--data-dir", file.toString(), "--amqp-port", "0", "--http-port", "0")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("ferry: data directory " + file + " is not a directory:"
                + " choose another --data-dir\n");
        assertThat(stdout()).doesNotContain("ready");
    }

    @Test
    void aStoreOfAnUnknownFormatVersionIsOneLineAndExit1() throws IOException {
        Path data = dir.resolve("data");
        Path store = data.resolve(FerryServer.STORE_DIR);
        // a first start writes the store with the current format
        new io.ferrymq.core.LocalBroker(io.ferrymq.core.BrokerConfig.defaults(), io.ferrymq.common.Clock.system(),
                io.ferrymq.core.persist.JournalPersistence.at(store, io.ferrymq.store.StoreConfig.defaults()))
                .persistence().close();
        Path segment;
        try (var files = Files.list(store)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[]{0, 99}), 4); // the header's format version
        }

        assertThat(run("server", "--data-dir", data.toString(), "--amqp-port", "0", "--http-port", "0")).isEqualTo(1);
        assertThat(stderr()).startsWith("ferry: cannot open the message store in " + store + ": ")
                .contains("format version 99").endsWith("\n").hasLineCount(1);
        assertThat(stdout()).doesNotContain("ready");
    }

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
