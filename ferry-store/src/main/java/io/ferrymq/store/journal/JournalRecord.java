package io.ferrymq.store.journal;

import java.nio.ByteBuffer;

/**
 * A decoded journal record (see {@link JournalCodec} for the bytes).
 *
 * @param address     where the record starts
 * @param size        its full framed size
 * @param stream      the stream id (for metadata: the key)
 * @param entry       the entry id (for metadata: 0)
 * @param killAddress the record this one kills, or -1
 * @param killSize    the framed size of the killed record
 * @param body        the stored body (compressed if the flags say so); for a record met in a scan, a view valid
 *                    only during the scan's callback
 */
record JournalRecord(long address, int size, byte type, byte flags, long stream, long entry, long killAddress,
                     int killSize, ByteBuffer body) {

    boolean isAdd() {
        return type == JournalCodec.ADD;
    }

    boolean isMetadata() {
        return type == JournalCodec.METADATA;
    }

    /** An add, or a metadata value (not a tombstone): a record that is live until killed. */
    boolean isValue() {
        return type == JournalCodec.ADD || (type == JournalCodec.METADATA && (flags & JournalCodec.TOMBSTONE) == 0);
    }

    boolean kills() {
        return killAddress >= 0;
    }
}
