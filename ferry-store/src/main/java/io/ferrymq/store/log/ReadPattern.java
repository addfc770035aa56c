package io.ferrymq.store.log;

/**
 * Thread-safe (one lock; a few comparisons per cache miss): tells a read that continues a recent one, which is worth
 * a read-ahead, from a read at a random place, which is not. A queue draining a backlog misses the cache just past
 * where its previous read ended; a delayed exchange reads its due messages in due order, scattered over the log, and
 * a 64 KiB read-ahead for each of those would read (and checksum, and cache) dozens of records nobody asks for.
 *
 * <p>Remembers where the last {@value #TRACKED} reads ended; a read is sequential when it starts at most
 * {@code reach} bytes after one of them.
 */
final class ReadPattern {
    private static final int TRACKED = 16;
    private static final long UNSET = Long.MIN_VALUE;

    private final long reach;
    private final long[] ends = new long[TRACKED];
    private int next;

    ReadPattern(long reach) {
        this.reach = reach;
        java.util.Arrays.fill(ends, UNSET);
    }

    /** Whether a read at {@code address} continues one of the recent reads. */
    synchronized boolean continues(long address) {
        for (long end : ends) {
            if (end != UNSET && address >= end && address - end <= reach) {
                return true;
            }
        }
        return false;
    }

    /** A read ended at {@code end} (exclusive). */
    synchronized void ended(long end) {
        for (int i = 0; i < TRACKED; i++) {
            if (ends[i] != UNSET && ends[i] <= end && end - ends[i] <= reach) {
                ends[i] = end; // the same reader moved on
                return;
            }
        }
        ends[next] = end;
        next = (next + 1) % TRACKED;
    }
}
