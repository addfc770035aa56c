package io.ferrymq.store.journal;

/** An entry compaction copied from {@code from} to {@code to}. */
record Move(long stream, long entry, long from, long to) {
}
