/**
 * The segmented append-only log: segment files, CRC32C record framing, the group-commit writer, positional reads
 * through a bounded cache, and the scan that recovery and compaction use. It stores opaque typed records; the
 * meaning of types and flags belongs to the layer above ({@link io.ferrymq.store.journal}).
 */
package io.ferrymq.store.log;
