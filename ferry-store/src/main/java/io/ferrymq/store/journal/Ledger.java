package io.ferrymq.store.journal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Owned by the writer thread (by the recovering thread before it starts): live/dead accounting of every segment,
 * and the two rules built on it.
 *
 * <p><b>Reclaim rule.</b> A segment file may be deleted only when no value in it is live, and no kill record in it
 * targets a record in another segment that still exists (its pins are gone). Otherwise replay, reading the target
 * without the kill, would bring a deleted entry back. Deletions happen in rounds, with the directory forced
 * between rounds, so a segment is only released once the deletion of the segments it pinned is durable.
 *
 * <p><b>Compaction rule.</b> A sealed segment whose needed bytes (live values plus the deletes it must keep) are
 * below {@code threshold} of its size is copied forward and then reclaimed, which bounds the disk use to about
 * {@code 1 / threshold} times what is needed.
 */
final class Ledger {

    private final TreeMap<Long, SegmentState> segments = new TreeMap<>();

    SegmentState state(long base) {
        return segments.computeIfAbsent(base, b -> new SegmentState(b, 0));
    }

    void restore(SegmentState state) {
        segments.put(state.base, state);
    }

    SegmentState stateAt(long base) {
        return segments.get(base);
    }

    /** The state of the segment whose records include {@code address}, or null if no such segment exists. */
    SegmentState holding(long address) {
        Map.Entry<Long, SegmentState> entry = segments.floorEntry(address);
        if (entry == null || address - entry.getKey() >= entry.getValue().end()) {
            return null;
        }
        return entry.getValue();
    }

    Collection<SegmentState> states() {
        return segments.values();
    }

    /** A value record (add or metadata value) was written at {@code address}. */
    void value(long base, long address, int size) {
        state(base).value((int) (address - base), size);
    }

    /** A record that is not a value (a delete or tombstone) was written at {@code address}. */
    void other(long base, long address, int size) {
        state(base).extend((int) (address - base), size);
    }

    /**
     * The record at {@code killer} (in the segment at {@code killerBase}) kills the value at {@code target}.
     *
     * @param pinBytes the killer's size if it is a pure kill record, 0 if it is itself a value
     * @return true if the target was live until now
     */
    boolean kill(long killerBase, long pinBytes, long target, int targetSize) {
        SegmentState targetState = holding(target);
        if (targetState == null) {
            return false;
        }
        if (targetState.base != killerBase) {
            state(killerBase).pin(targetState.base, pinBytes);
        }
        return targetState.kill((int) (target - targetState.base), targetSize);
    }

    boolean isDead(long address) {
        SegmentState state = holding(address);
        return state == null || state.isDead((int) (address - state.base));
    }

    /** The {@code size} bytes at {@code address} are unreadable. */
    void lost(long address, long size) {
        Map.Entry<Long, SegmentState> entry = segments.floorEntry(address);
        if (entry != null) {
            entry.getValue().lost((int) (address - entry.getKey()), (int) size);
        }
    }

    /** The segments that may be deleted now, by the reclaim rule; never the active one. */
    List<Long> reclaimable(long activeBase) {
        List<Long> bases = new ArrayList<>();
        for (SegmentState state : segments.values()) {
            if (state.base != activeBase && state.reclaimable()) {
                bases.add(state.base);
            }
        }
        return bases;
    }

    /** The segment at {@code base} is deleted (durably): forget it, and release the segments it pinned. */
    void remove(long base) {
        segments.remove(base);
        for (SegmentState state : segments.values()) {
            state.targetDeleted(base);
        }
    }

    /** Keeps only the states of the segments in {@code bases}, and adds an empty state for new ones. */
    void retain(Collection<Long> bases, int firstRecordOffset) {
        Set<Long> present = new HashSet<>(bases);
        List<Long> gone = new ArrayList<>();
        for (Long base : segments.keySet()) {
            if (!present.contains(base)) {
                gone.add(base);
            }
        }
        gone.forEach(this::remove);
        for (Long base : bases) {
            segments.computeIfAbsent(base, b -> new SegmentState(b, firstRecordOffset));
        }
    }

    /** The oldest sealed segment the compaction rule selects, skipping {@code skip}; null if none. */
    SegmentState compactionCandidate(long activeBase, double threshold, Set<Long> skip) {
        for (SegmentState state : segments.values()) {
            if (state.base == activeBase || skip.contains(state.base) || state.reclaimable()) {
                continue;
            }
            if (state.neededBytes() < threshold * state.end()) {
                return state;
            }
        }
        return null;
    }

    long liveValues() {
        long total = 0;
        for (SegmentState state : segments.values()) {
            total += state.live();
        }
        return total;
    }

    long liveBytes() {
        long total = 0;
        for (SegmentState state : segments.values()) {
            total += state.liveBytes();
        }
        return total;
    }
}
