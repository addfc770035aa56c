package io.ferrymq.store.log;

/** What recovery (or a read of an old segment) found wrong, and what it did about it. */
public enum DamageKind {
    /** The end of the last segment held an incomplete or unchecksummed record, as a crash leaves it: cut. */
    TORN_TAIL,
    /** A record failed its checksum but the next record is intact: the bad one was skipped. */
    CORRUPT_SKIPPED,
    /** Framing was lost inside a segment (bad length, or no intact record follows): the rest was cut. */
    CORRUPT_CUT,
    /** The last segment's header was incomplete (a crash while rolling to it, before any record): deleted. */
    TORN_SEGMENT,
    /** A segment's header was damaged: the file was renamed with {@code .corrupt} and its records are lost. */
    CORRUPT_SEGMENT,
    /** The checkpoint file was unreadable: it was ignored and the whole log scanned. */
    CORRUPT_CHECKPOINT
}
