/**
 * The file layer: every byte the store reads or writes goes through {@link io.ferrymq.store.file.StoreFiles}, so
 * that tests can swap the real disk for a simulated one that loses unsynced bytes on a crash.
 */
package io.ferrymq.store.file;
