package io.ferrymq.store.journal;

import java.nio.ByteBuffer;

/**
 * Receives every live record while the journal opens, on the opening thread, so that the owner can rebuild its
 * indexes: first every current metadata value, by address (topology before the entries that need it), then every
 * live entry, by address (so the entries of one stream arrive in the order they were added, except those moved
 * by compaction, which arrive at their new place — order by entry id if order matters).
 */
public interface ReplayHandler {

    void metadata(long key, ByteBuffer value);

    void entry(StoredEntry entry);
}
