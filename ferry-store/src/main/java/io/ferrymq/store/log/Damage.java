package io.ferrymq.store.log;

/**
 * Something found damaged, and what was lost. The layer above can decode {@code payloadHead} (the first bytes of the
 * bad record's payload, unverified) to say whose data it was.
 *
 * @param file        the file, as {@link io.ferrymq.store.file.StoreFiles#describe} names it
 * @param address     where the damage starts (-1 for a whole file)
 * @param lostBytes   how many bytes were cut or skipped
 * @param recordType  the bad record's type byte if its header was readable, else -1
 * @param payloadHead up to 16 unverified payload bytes of the bad record, empty if unreadable
 * @param detail      what was wrong, for the log
 */
public record Damage(DamageKind kind, String file, long address, long lostBytes, int recordType, byte[] payloadHead,
                     String detail) {

    @Override
    public String toString() {
        return kind + " in " + file + (address >= 0 ? " at position " + address : "") + ": " + detail
                + " (" + lostBytes + " bytes lost)";
    }
}
