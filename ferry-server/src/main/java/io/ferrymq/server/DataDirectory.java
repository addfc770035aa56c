package io.ferrymq.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The node's data directory, held exclusively from {@link #lock} to {@link #close} through an OS lock on
 * {@code <dir>/.lock}, so that two brokers never write the same files. The OS drops the lock when the process dies,
 * even by {@code kill -9}, so a crash never leaves the directory locked.
 */
final class DataDirectory implements AutoCloseable {
    private static final String LOCK_FILE = ".lock";

    private final Path path;
    private final FileChannel lockChannel;

    private DataDirectory(Path path, FileChannel lockChannel) {
        this.path = path;
        this.lockChannel = lockChannel;
    }

    /** Creates the directory if needed and takes its lock. */
    static DataDirectory lock(Path dir) {
        Path path = dir.toAbsolutePath().normalize();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new StartupException("data directory " + path + " is not a directory: choose another --data-dir");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException failed) {
            throw new StartupException("cannot create data directory " + path + ": " + reason(failed));
        }
        if (!Files.isWritable(path)) {
            throw new StartupException("data directory " + path + " is not writable by this user");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException failed) {
            throw new StartupException("cannot open " + path.resolve(LOCK_FILE) + ": " + reason(failed));
        }
        if (!tryLock(channel)) {
            closeQuietly(channel);
            throw new StartupException("data directory " + path + " is in use by another FerryMQ (lock held)");
        }
        return new DataDirectory(path, channel);
    }

    Path path() {
        return path;
    }

    /** Releases the lock; closing the channel is what releases it. */
    @Override
    public void close() {
        closeQuietly(lockChannel);
    }

    private static boolean tryLock(FileChannel channel) {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException heldInThisJvm) {
            return false;
        } catch (IOException failed) {
            closeQuietly(channel);
            throw new StartupException("cannot lock data directory: " + reason(failed));
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a lock file cannot lose data; the OS releases the lock regardless.
        }
    }

    private static String reason(IOException failure) {
        if (failure instanceof FileSystemException fileFailure) {
            String reason = fileFailure.getReason() != null ? fileFailure.getReason()
                    : failure.getClass().getSimpleName();
            return reason + " (" + fileFailure.getFile() + ")";
        }
        return String.valueOf(failure.getMessage());
    }
}
