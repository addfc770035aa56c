package io.ferrymq.store.journal;

/**
 * Told, on the writer thread, when compaction moved a live entry and the copy is durable. Updating the owner's
 * index is optional (old addresses keep working) but spares a lookup per read. Must be quick and must not wait
 * for another write of the journal.
 */
@FunctionalInterface
public interface RelocationListener {

    RelocationListener NONE = (stream, entry, from, to) -> {
    };

    void relocated(long stream, long entry, long from, long to);
}
