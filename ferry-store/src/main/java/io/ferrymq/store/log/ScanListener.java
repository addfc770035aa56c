package io.ferrymq.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Receives what a scan of a segment finds, in address order. */
public interface ScanListener {

    /**
     * An intact record. {@code payload} is a read-only view valid only during this call: copy what you keep.
     *
     * @param size the full framed size of the record
     */
    void record(long address, int size, byte type, byte flags, ByteBuffer payload) throws IOException;

    /** Damage the scan found; for {@link DamageKind#CORRUPT_SKIPPED} the bad record's address is lost for good. */
    void damaged(Damage damage);
}
