package io.ferrymq.store.journal;

import java.nio.ByteBuffer;

/**
 * A live entry met in replay.
 *
 * @param address where it is stored now: what {@link Journal#read} and {@link Journal#delete} take
 * @param body    its body, decompressed, read-only
 */
public record StoredEntry(long stream, long entry, long address, ByteBuffer body) {
}
