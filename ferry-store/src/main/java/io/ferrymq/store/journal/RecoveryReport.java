package io.ferrymq.store.journal;

import io.ferrymq.store.log.Damage;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;

/**
 * What opening the journal found and did.
 *
 * @param cleanShutdown      the previous run shut down cleanly and nothing was written after its final checkpoint
 * @param checkpointPosition the position recovery scanned from (0: no usable checkpoint, the whole log was
 *                           scanned)
 * @param scannedBytes       bytes checked record by record to rebuild the accounting (the part after the
 *                           checkpoint)
 * @param entries            live entries replayed
 * @param metadata           metadata values replayed
 * @param damages            everything cut, skipped or set aside, in the order found
 */
public record RecoveryReport(boolean cleanShutdown, long checkpointPosition, long scannedBytes, long entries,
                             long metadata, List<Damage> damages) {

    public RecoveryReport {
        damages = List.copyOf(damages);
    }

    /**
     * The stream (for metadata, the key) a damaged record belonged to, if its header was readable. Unverified: the
     * record failed its checksum, so this may be wrong too.
     */
    public static OptionalLong stream(Damage damage) {
        return damage.payloadHead().length >= 8 && isJournalType(damage.recordType())
                ? OptionalLong.of(ByteBuffer.wrap(damage.payloadHead()).getLong(0)) : OptionalLong.empty();
    }

    /** The entry a damaged add or delete concerned, if readable (unverified, like {@link #stream}). */
    public static OptionalLong entry(Damage damage) {
        boolean entryRecord = damage.recordType() == JournalCodec.ADD || damage.recordType() == JournalCodec.DELETE;
        return damage.payloadHead().length >= 16 && entryRecord
                ? OptionalLong.of(ByteBuffer.wrap(damage.payloadHead()).getLong(8)) : OptionalLong.empty();
    }

    /** One line for the broker log: what was damaged, what was done, and whose data it probably was. */
    public static String describe(Damage damage) {
        StringBuilder line = new StringBuilder(damage.toString());
        if (damage.recordType() >= 0) {
            line.append("; the first bad record looks like a ").append(JournalCodec.typeName(damage.recordType()));
            stream(damage).ifPresent(s -> line.append(damage.recordType() == JournalCodec.METADATA
                    ? " of key " : " of stream ").append(s));
            entry(damage).ifPresent(e -> line.append(", entry ").append(e));
            line.append(" (unverified)");
        }
        return line.toString();
    }

    private static boolean isJournalType(int type) {
        return type == JournalCodec.ADD || type == JournalCodec.DELETE || type == JournalCodec.METADATA;
    }
}
