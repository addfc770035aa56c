package io.ferrymq.store.log;

import java.nio.ByteBuffer;

/**
 * A record read from the log.
 *
 * @param address where the record starts
 * @param size    the record's full framed size, header included
 * @param payload read-only; the whole payload for {@link Log#read}; for {@link Log#peek}, at least the asked
 *                prefix (all of it if the record was cached)
 */
public record LogRecord(long address, byte type, byte flags, int size, ByteBuffer payload) {

    @Override
    public ByteBuffer payload() {
        return payload.asReadOnlyBuffer();
    }
}
