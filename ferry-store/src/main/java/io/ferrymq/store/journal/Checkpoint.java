package io.ferrymq.store.journal;

/**
 * The journal's accounting as it was when everything below {@code position} was durable: recovery restores it
 * and scans only the log from {@code position} on.
 */
record Checkpoint(long position, Ledger ledger, MetadataIndex metadata) {
}
