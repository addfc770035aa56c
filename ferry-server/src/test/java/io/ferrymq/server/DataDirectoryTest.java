package io.ferrymq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void createsMissingDirectories() {
        Path data = dir.resolve("a/b/data");

        try (DataDirectory locked = DataDirectory.lock(data)) {
            assertThat(locked.path()).isDirectory();
            assertThat(data.resolve(".lock")).exists();
        }
    }

    @Test
    void aSecondLockOnTheSameDirectoryFailsUntilTheFirstIsReleased() {
        DataDirectory first = DataDirectory.lock(dir);

        assertThatThrownBy(() -> DataDirectory.lock(dir))
                .isInstanceOf(StartupException.class)
                .hasMessage("data directory " + dir + " is in use by another FerryMQ (lock held)");

        first.close();
        DataDirectory.lock(dir).close();
    }

    @Test
    void aFileIsNoDataDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> DataDirectory.lock(file))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("data directory " + file + " is not a directory");
    }

    @Test
    void aDirectoryUnderAFileCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> DataDirectory.lock(file.resolve("data")))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("cannot create data directory " + file.resolve("data") + ": ");
    }
}
