package io.ferrymq.store.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Owned by the writer thread (by the recovering thread before it starts): where the current value of each metadata
 * key is. Metadata (topology: a few thousand records at most) is the one kind of record the journal indexes
 * itself, so that a new value can name the one it replaces.
 */
final class MetadataIndex {

    /** A record's address and framed size. */
    record Ref(long key, long address, int size) {
    }

    private final Map<Long, Ref> current = new HashMap<>();

    Ref get(long key) {
        return current.get(key);
    }

    void put(Ref ref) {
        current.put(ref.key(), ref);
    }

    Ref remove(long key) {
        return current.remove(key);
    }

    /** Applies a metadata record met in a scan: a value becomes current, a tombstone removes its target. */
    void apply(JournalRecord record) {
        if (!record.isMetadata()) {
            return;
        }
        if (record.isValue()) {
            current.put(record.stream(), new Ref(record.stream(), record.address(), record.size()));
        } else {
            Ref ref = current.get(record.stream());
            if (ref != null && ref.address() == record.killAddress()) {
                current.remove(record.stream());
            }
        }
    }

    /** The current values, by address. */
    List<Ref> byAddress() {
        List<Ref> refs = new ArrayList<>(current.values());
        refs.sort((a, b) -> Long.compare(a.address(), b.address()));
        return refs;
    }

    int size() {
        return current.size();
    }
}
