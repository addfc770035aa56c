package io.ferrymq.store.journal;

import java.util.HashMap;
import java.util.Map;

/**
 * Owned by the writer thread (by the recovering thread before it starts): what the journal knows about one
 * segment's records, without keeping anything per live record.
 *
 * <p>A value record (an add, or a current metadata value) is live until a later record kills it (a delete, a newer
 * metadata value, a tombstone, or the copy compaction made of it). Only the dead offsets are kept, and only while
 * some value in the segment is still live: once the last one dies the set is dropped and
 * {@code allDeadBelow} remembers that everything written so far is dead.
 *
 * <p>A kill record here whose target lies in another segment that still exists "pins" that segment: this segment
 * may only be deleted after the target's, or replay would bring the target back to life.
 */
final class SegmentState {

    /** The kill records of this segment whose targets lie in one other segment. */
    static final class Pin {
        int count;
        /** Bytes of the pure kill records (deletes, tombstones) among them: what compaction must carry forward. */
        long bytes;
    }

    final long base;
    private int end;
    private int live;
    private long liveBytes;
    private OffsetSet dead = new OffsetSet();
    private int allDeadBelow;
    private final Map<Long, Pin> pins = new HashMap<>();
    private long pinnedBytes;

    SegmentState(long base, int end) {
        this.base = base;
        this.end = end;
    }

    /** Restores a state from a checkpoint. */
    SegmentState(long base, int end, int live, long liveBytes, int allDeadBelow, OffsetSet dead) {
        this(base, end);
        this.live = live;
        this.liveBytes = liveBytes;
        this.allDeadBelow = allDeadBelow;
        this.dead = dead;
    }

    void value(int offset, int size) {
        live++;
        liveBytes += size;
        extend(offset, size);
    }

    void extend(int offset, int size) {
        end = Math.max(end, offset + size);
    }

    boolean isDead(int offset) {
        return offset >= end || offset < allDeadBelow || dead.contains(offset);
    }

    /**
     * Marks the value at {@code offset} dead.
     *
     * @return true if it was live (false for a second kill, or for an offset never counted as a value)
     */
    boolean kill(int offset, int size) {
        if (isDead(offset)) {
            return false;
        }
        dead.add(offset);
        if (live == 0) {
            return false;
        }
        live--;
        liveBytes -= size;
        if (live == 0) {
            allDeadBelow = end;
            dead = new OffsetSet();
        }
        return true;
    }

    /** A record lost to damage: whatever it was, nothing may count it live again. */
    void lost(int offset, int size) {
        extend(offset, size);
        if (!isDead(offset)) {
            dead.add(offset);
        }
    }

    void pin(long targetBase, long bytes) {
        Pin pin = pins.computeIfAbsent(targetBase, b -> new Pin());
        pin.count++;
        pin.bytes += bytes;
        pinnedBytes += bytes;
    }

    void unpin(long targetBase, long bytes) {
        Pin pin = pins.get(targetBase);
        if (pin == null) {
            return;
        }
        pinnedBytes -= bytes;
        pin.bytes -= bytes;
        if (--pin.count == 0) {
            pins.remove(targetBase);
        }
    }

    /** The segment at {@code targetBase} was deleted: nothing here can resurrect its records any more. */
    void targetDeleted(long targetBase) {
        Pin pin = pins.remove(targetBase);
        if (pin != null) {
            pinnedBytes -= pin.bytes;
        }
    }

    /** Replaces the counts after a replay counted the live values itself. */
    void recount(int liveValues, long liveValueBytes, int newEnd) {
        live = liveValues;
        liveBytes = liveValueBytes;
        end = newEnd;
        if (live == 0) {
            allDeadBelow = end;
            dead = new OffsetSet();
        }
    }

    boolean reclaimable() {
        return live == 0 && pins.isEmpty();
    }

    /** Bytes that must survive this segment: live values and the deletes that still pin other segments. */
    long neededBytes() {
        return liveBytes + pinnedBytes;
    }

    int end() {
        return end;
    }

    int live() {
        return live;
    }

    long liveBytes() {
        return liveBytes;
    }

    int allDeadBelow() {
        return allDeadBelow;
    }

    OffsetSet dead() {
        return dead;
    }

    Map<Long, Pin> pins() {
        return pins;
    }

    /** Restores a pin from a checkpoint. */
    void restorePin(long targetBase, int count, long bytes) {
        Pin pin = pins.computeIfAbsent(targetBase, b -> new Pin());
        pin.count += count;
        pin.bytes += bytes;
        pinnedBytes += bytes;
    }
}
