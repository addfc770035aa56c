package io.ferrymq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void optionsBeatEnvironmentWhichBeatsTheFile() throws IOException {
        Path file = write("ferry.conf", """
                # ports
                listeners.tcp.default = 1111
                management.tcp.port = 2222
                data_dir = /from/file
                """);
        var loader = new ConfigLoader(Map.of("FERRY_AMQP_PORT", "3333", "FERRY_HTTP_PORT", "4444"), missingDefault());

        ServerConfig config = loader.load(file, List.of(new Setting("listeners.tcp.default", "5555", "option")));

        assertThat(config.amqpPort()).isEqualTo(5555);
        assertThat(config.httpPort()).isEqualTo(4444);
        assertThat(config.dataDir()).isEqualTo(Path.of("/from/file"));
    }

    @Test
    void everyEnvironmentVariableSetsItsKey() {
        var loader = new ConfigLoader(Map.of("FERRY_AMQP_PORT", "1", "FERRY_HTTP_PORT", "2", "FERRY_DATA_DIR", "/d",
                "FERRY_DEFAULT_USER", "u", "FERRY_DEFAULT_PASS", "p", "FERRY_LOG_LEVEL", "error"), missingDefault());

        ServerConfig config = loader.load(null, List.of());

        assertThat(config.amqpPort()).isEqualTo(1);
        assertThat(config.httpPort()).isEqualTo(2);
        assertThat(config.dataDir()).isEqualTo(Path.of("/d"));
        assertThat(config.defaultUser()).isEqualTo("u");
        assertThat(config.defaultPass()).isEqualTo("p");
        assertThat(config.logLevel()).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        ServerConfig config = new ConfigLoader(Map.of("FERRY_AMQP_PORT", ""), missingDefault()).load(null, List.of());

        assertThat(config.amqpPort()).isEqualTo(5672);
    }

    @Test
    void theFileComesFromTheOptionThenTheVariableThenTheDefault() throws IOException {
        Path byOption = write("option.conf", "heartbeat = 1\n");
        Path byVariable = write("variable.conf", "heartbeat = 2\n");
        Path byDefault = write("ferry.conf", "heartbeat = 3\n");
        var environment = Map.of("FERRY_CONFIG", byVariable.toString());

        assertThat(new ConfigLoader(environment, byDefault).load(byOption, List.of()).heartbeatSeconds()).isEqualTo(1);
        assertThat(new ConfigLoader(environment, byDefault).load(null, List.of()).heartbeatSeconds()).isEqualTo(2);
        assertThat(new ConfigLoader(Map.of(), byDefault).load(null, List.of()).heartbeatSeconds()).isEqualTo(3);
        assertThat(new ConfigLoader(Map.of(), missingDefault()).load(null, List.of()).heartbeatSeconds()).isEqualTo(60);
    }

    @Test
    void aValueKeepsItsHashAndSpacesInside() throws IOException {
        Path file = write("ferry.conf", "default_pass =  pa#ss word  \n");

        assertThat(new ConfigLoader(Map.of(), missingDefault()).load(file, List.of()).defaultPass())
                .isEqualTo("pa#ss word");
    }

    @Test
    void aNamedFileMustExist() {
        Path missing = dir.resolve("nope.conf");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), missingDefault()).load(missing, List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        Path file = write("ferry.conf", "heartbeat = 5\n\nheartbeat: 5\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), missingDefault()).load(file, List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessage(file + " line 3: expected 'key = value', found 'heartbeat: 5'");
    }

    @Test
    void badValuesNameTheirSource() throws IOException {
        Path file = write("ferry.conf", "\nchannel_max = many\n");
        var loader = new ConfigLoader(Map.of("FERRY_HTTP_PORT", "http"), missingDefault());

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), missingDefault()).load(file, List.of()))
                .hasMessage(file + " line 2: channel_max = 'many': expected a whole number from 0 to 65535");
        assertThatThrownBy(() -> loader.load(null, List.of()))
                .hasMessage("environment variable FERRY_HTTP_PORT: management.tcp.port = 'http':"
                        + " expected a whole number from 0 to 65535");
    }

    private Path missingDefault() {
        return dir.resolve("absent-ferry.conf");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
