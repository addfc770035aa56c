package io.ferrymq.store.journal;

import io.ferrymq.store.file.StoreFile;
import io.ferrymq.store.file.StoreFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The checkpoint file and the clean-shutdown marker in the store's directory. Stateless; called by the writer
 * thread (and by recovery before it starts).
 *
 * <p>A checkpoint replaces the previous one atomically: write {@code checkpoint.tmp}, force it, rename it over
 * {@code checkpoint}, force the directory. A crash at any point leaves either the old or the new checkpoint.
 *
 * <p>The marker {@code clean-shutdown} (20 bytes: magic 'F' 'M' 'Q' 'M', version (2), reserved (2), the position
 * of the final checkpoint (8), CRC32C of the 16 bytes before it (4)) is written after the final checkpoint of a
 * clean shutdown and deleted, durably, when the store opens again, before anything is written.
 */
final class CheckpointFiles {

    static final String CHECKPOINT = "checkpoint";
    static final String TEMPORARY = "checkpoint.tmp";
    static final String CLEAN = "clean-shutdown";
    private static final int MARKER_MAGIC = 0x464D514D;
    private static final int MARKER_BYTES = 20;

    private final StoreFiles files;

    CheckpointFiles(StoreFiles files) {
        this.files = files;
    }

    String describe() {
        return files.describe(CHECKPOINT);
    }

    void write(byte[] checkpoint) throws IOException {
        try (StoreFile file = files.open(TEMPORARY, true)) {
            file.truncate(0);
            file.write(ByteBuffer.wrap(checkpoint), 0);
            file.force();
        }
        files.rename(TEMPORARY, CHECKPOINT);
        files.syncDirectory();
    }

    /** The checkpoint file's bytes, if there is one; removes a temporary file a crash left behind. */
    Optional<byte[]> read() throws IOException {
        if (files.exists(TEMPORARY)) {
            files.delete(TEMPORARY);
        }
        if (!files.exists(CHECKPOINT)) {
            return Optional.empty();
        }
        return Optional.of(readAll(CHECKPOINT));
    }

    void markClean(long position) throws IOException {
        ByteBuffer marker = ByteBuffer.allocate(MARKER_BYTES);
        marker.putInt(MARKER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(position);
        marker.putInt(crc(marker.array())).flip();
        try (StoreFile file = files.open(CLEAN, true)) {
            file.truncate(0);
            file.write(marker, 0);
            file.force();
        }
        files.syncDirectory();
    }

    /** The position the clean-shutdown marker vouches for, if a valid one is present. */
    OptionalLong readClean() throws IOException {
        if (!files.exists(CLEAN)) {
            return OptionalLong.empty();
        }
        ByteBuffer marker = ByteBuffer.wrap(readAll(CLEAN));
        if (marker.capacity() != MARKER_BYTES || marker.getInt(0) != MARKER_MAGIC || marker.getShort(4) != 1
                || marker.getInt(16) != crc(marker.array())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(marker.getLong(8));
    }

    /** Removes the marker durably, so that a crash from now on is never taken for a clean shutdown. */
    void clearClean() throws IOException {
        if (files.exists(CLEAN)) {
            files.delete(CLEAN);
            files.syncDirectory();
        }
    }

    private byte[] readAll(String name) throws IOException {
        try (StoreFile file = files.open(name, false)) {
            long size = file.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(files.describe(name) + " is too large to be a store file (" + size + " bytes)");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            file.readFully(bytes, 0);
            return bytes.array();
        }
    }

    private static int crc(byte[] marker) {
        CRC32C crc = new CRC32C();
        crc.update(marker, 0, 16);
        return (int) crc.getValue();
    }
}
