package io.ferrymq.store.journal;

import io.ferrymq.store.log.LogStats;

/**
 * A snapshot of the journal's counters, refreshed after every forced batch.
 *
 * @param log               the writer's counters: fsyncs, records, bytes (rates and records per fsync)
 * @param segments          segment files on disk
 * @param diskBytes         bytes of the segment files
 * @param liveValues        live entries and metadata values
 * @param liveBytes         framed bytes of the live values (what compaction could shrink the log to)
 * @param relocated         records compaction copied forward since open
 * @param reclaimedSegments segment files deleted since open
 * @param checkpoints       checkpoints written since open
 */
public record JournalStats(LogStats log, int segments, long diskBytes, long liveValues, long liveBytes,
                           long relocated, long reclaimedSegments, long checkpoints) {
}
