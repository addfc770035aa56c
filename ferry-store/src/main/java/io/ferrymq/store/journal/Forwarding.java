package io.ferrymq.store.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved on any thread, changed on the writer thread: old addresses of entries that compaction moved, mapped to
 * where they are now, so that an owner holding an old address (it has not seen the move yet, or a delete crossed
 * the move) still reads and deletes the right record.
 *
 * <p>A forward lives until its entry is deleted; owners that update their addresses from the relocation listener
 * make it unnecessary but harmless. Forwards are not persisted: after a restart, replay hands out current
 * addresses.
 */
final class Forwarding {

    private final Map<Long, Long> forward = new ConcurrentHashMap<>();
    /** For each current address, the old addresses that forward to it (writer thread). */
    private final Map<Long, List<Long>> sources = new HashMap<>();

    long resolve(long address) {
        return forward.getOrDefault(address, address);
    }

    void moved(long from, long to) {
        List<Long> olds = sources.remove(from);
        if (olds == null) {
            olds = new ArrayList<>(1);
        }
        olds.add(from);
        for (Long old : olds) {
            forward.put(old, to);
        }
        sources.put(to, olds);
    }

    /** The entry now at {@code current} was deleted: its old addresses resolve to nothing live any more. */
    void deleted(long current) {
        List<Long> olds = sources.remove(current);
        if (olds != null) {
            olds.forEach(forward::remove);
        }
    }
}
