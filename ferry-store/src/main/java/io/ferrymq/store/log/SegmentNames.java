package io.ferrymq.store.log;

import java.util.OptionalLong;

/**
 * Segment file names: the base position, zero-padded to 20 digits, then {@code .seg}. The next segment file, while it
 * is prepared ahead of its roll, is named {@link #PREPARED}: its base is not known yet, and the {@code .next} suffix
 * keeps {@link #parse} (and so {@code SegmentLog.open}) from ever taking it for a segment.
 */
final class SegmentNames {

    static final String SUFFIX = ".seg";
    /** Appended to a segment whose header is damaged, so that it is kept for inspection but never read again. */
    static final String QUARANTINE_SUFFIX = ".corrupt";
    /** Marks a file the store prepared but never made a segment: left over by a crash, deleted at open. */
    static final String PREPARED_SUFFIX = ".next";
    /**
     * Appended to a deleted segment's name while {@link SegmentDeleter} removes the file a slice at a time; such a
     * file is no segment any more (the rename was the deletion), and open deletes it.
     */
    static final String DELETED_SUFFIX = ".deleted";
    /** The preallocated file of the next segment until a roll renames it to the segment's name. */
    static final String PREPARED = "segment" + PREPARED_SUFFIX;
    private static final int DIGITS = 20;

    private SegmentNames() {
    }

    static String name(long base) {
        String digits = Long.toString(base);
        return "0".repeat(DIGITS - digits.length()) + digits + SUFFIX;
    }

    /** The base position a segment file name stands for, or empty if the name is not a segment's. */
    static OptionalLong parse(String name) {
        if (name.length() != DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < DIGITS; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(0, DIGITS)));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }
}
