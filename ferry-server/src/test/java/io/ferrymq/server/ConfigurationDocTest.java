package io.ferrymq.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/CONFIGURATION.md promises to document every key and variable; this keeps that promise true. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");

    @Test
    void documentsEveryKeyAndEnvironmentVariable() throws IOException {
        String doc = Files.readString(DOC);

        for (String key : ConfigKeys.names()) {
            assertThat(doc).as("key %s", key).contains("| `" + key + "` |");
        }
        for (String variable : ConfigLoader.ENVIRONMENT_KEYS.keySet()) {
            assertThat(doc).as("variable %s", variable).contains("| `" + variable + "` |");
        }
        assertThat(doc).contains("| `" + ConfigLoader.CONFIG_FILE_VARIABLE + "` |");
    }
}
