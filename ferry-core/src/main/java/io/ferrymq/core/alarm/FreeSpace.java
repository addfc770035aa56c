package io.ferrymq.core.alarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the disk monitor reads the free space from: the data directory's file store, or a test's stand-in. */
@FunctionalInterface
public interface FreeSpace {

    /** Bytes this process could still write. */
    long usableBytes() throws IOException;

    /** The file store holding {@code dir}, looked up at each reading (a remount moves it). */
    static FreeSpace of(Path dir) {
        return () -> Files.getFileStore(dir).getUsableSpace();
    }
}
