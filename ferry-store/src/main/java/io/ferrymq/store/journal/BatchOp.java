package io.ferrymq.store.journal;

import java.nio.ByteBuffer;

/** One operation of an atomic batch ({@link Journal#writeBatch}). */
public sealed interface BatchOp {

    /** Stores entry {@code entry} of {@code stream}, as {@link Journal#add} does. */
    record Add(long stream, long entry, ByteBuffer body) implements BatchOp {
    }

    /** Deletes the entry at {@code address}, as {@link Journal#delete} does (checked the same way). */
    record Delete(long stream, long entry, long address) implements BatchOp {
    }
}
