package io.ferrymq.store.file;

import java.io.IOException;
import java.util.List;

/**
 * One directory of store files. Names are plain file names (no separators).
 *
 * <p>Durability model, which the store relies on and the simulated disk enforces: bytes written to a file are
 * durable once {@link StoreFile#force()} returned; creating, deleting and renaming files is durable once
 * {@link #syncDirectory()} returned. Anything else may be lost, or partly kept, by a crash.
 */
public interface StoreFiles {

    /** The names of the files in the directory, in no particular order. */
    List<String> list() throws IOException;

    /** Opens a file for positional reads and writes, creating it (empty) if {@code create} and it is absent. */
    StoreFile open(String name, boolean create) throws IOException;

    boolean exists(String name) throws IOException;

    void delete(String name) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing {@code to} if it exists. */
    void rename(String from, String to) throws IOException;

    /** Makes the creations, deletions and renames done so far durable. */
    void syncDirectory() throws IOException;

    /**
     * Whether the log should write its segments into preallocated, zero-filled files. On a real file system an
     * fdatasync after overwriting allocated blocks commits no size or extent change, which makes every force
     * cheaper; an in-memory disk gains nothing from it.
     */
    default boolean preallocates() {
        return false;
    }

    /** How to name the file in a message an operator reads (its full path, for a real disk). */
    String describe(String name);
}
