/**
 * FerryMQ's storage engine. It knows no queues: it stores opaque entries of opaque streams.
 *
 * <ul>
 *   <li>{@link io.ferrymq.store.file}: the file layer every byte goes through (real disk, or a simulated disk in
 *       tests that loses unsynced bytes on a crash).</li>
 *   <li>{@link io.ferrymq.store.log}: segment files, CRC32C record framing, the group-commit writer, reads.</li>
 *   <li>{@link io.ferrymq.store.journal}: typed add/delete/metadata records, live/dead accounting, reclaim,
 *       compaction, compression, checkpoints and recovery. This is what the broker core uses.</li>
 * </ul>
 *
 * The on-disk format is described byte by byte in {@code docs/design/storage.md}.
 */
package io.ferrymq.store;
