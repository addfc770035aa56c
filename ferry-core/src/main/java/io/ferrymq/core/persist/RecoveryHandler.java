package io.ferrymq.core.persist;

import java.nio.ByteBuffer;

/**
 * Receives what the store held at start, on the opening thread, while it opens: every metadata record first, then
 * every message entry (mostly in the order they were added; one moved by compaction arrives later than its
 * neighbours). Buffers are only valid during the call.
 */
public interface RecoveryHandler {

    void record(long key, ByteBuffer record);

    void entry(long stream, long entry, long address, ByteBuffer payload);

    /** Everything was handed over. */
    void end();
}
