package io.ferrymq.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real disk: one directory, {@link FileChannel}s, {@code force(false)} (fdatasync). Stateless, thread-safe.
 * Segments are preallocated unless turned off (a copy-on-write file system such as btrfs or ZFS rewrites blocks
 * anyway, so there the zeros would be written for nothing).
 */
public final class DiskFiles implements StoreFiles {

    private final Path dir;
    private final boolean preallocate;

    /** The files of {@code dir} (created if absent), with preallocated segments. */
    public DiskFiles(Path dir) throws IOException {
        this(dir, true);
    }

    public DiskFiles(Path dir, boolean preallocate) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.preallocate = preallocate;
    }

    @Override
    public boolean preallocates() {
        return preallocate;
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Override
    public StoreFile open(String name, boolean create) throws IOException {
        FileChannel channel = create
                ? FileChannel.open(dir.resolve(name), StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE)
                : FileChannel.open(dir.resolve(name), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new ChannelFile(channel);
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void syncDirectory() throws IOException {
        // On Linux a directory opened read-only can be fsynced, which makes its entries durable.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public String describe(String name) {
        return dir.resolve(name).toString();
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    private record ChannelFile(FileChannel channel) implements StoreFile {

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            long at = position;
            while (src.hasRemaining()) {
                at += channel.write(src, at);
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
