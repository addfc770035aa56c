package io.ferrymq.core.persist;

import java.util.concurrent.CompletableFuture;

/** One stored effect of a transaction, written with the others as one unit ({@link Persistence#writeAtomically}). */
public sealed interface StoredChange {

    /** A message entry to add to the stream of a stored queue. */
    record Add(long stream, long entry, byte[] payload) implements StoredChange {
    }

    /** An entry to delete, once its add reports {@code address} (a failed add means there is nothing to delete). */
    record Delete(long stream, long entry, CompletableFuture<Long> address) implements StoredChange {
    }
}
