package io.ferrymq.store.log;

import io.ferrymq.store.file.DiskFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Deleted segments' files on a real disk: removed a slice at a time in the background, or at once on close. */
class SegmentDeleterTest {

    @TempDir
    Path dir;

    @Test
    void aHandedOverFileIsGoneOnceTheDeleterIsIdle() throws Exception {
        Path file = fileOf("00000000000000000000.seg.deleted", 10 << 20);
        SegmentDeleter deleter = new SegmentDeleter(new DiskFiles(dir), "test-delete");
        deleter.delete(file.getFileName().toString());
        assertThat(deleter.idle()).as("10 MiB take several slices, paused between them").isFalse();
        while (!deleter.idle()) {
            Thread.sleep(5);
        }
        assertThat(file).doesNotExist();
        deleter.close();
    }

    @Test
    void closeDeletesWhatIsLeftAtOnce() throws Exception {
        Path first = fileOf("00000000000000000000.seg.deleted", 64 << 20);
        Path second = fileOf("00000000000067108864.seg.deleted", 64 << 20);
        SegmentDeleter deleter = new SegmentDeleter(new DiskFiles(dir), "test-delete");
        deleter.delete(first.getFileName().toString());
        deleter.delete(second.getFileName().toString());
        deleter.close();
        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(deleter.idle()).isTrue();
    }

    private Path fileOf(String name, long bytes) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
        assertThat(Files.size(file)).isEqualTo(bytes);
        return file;
    }
}
