/**
 * The journal: what the broker core uses to make entries (messages) and metadata (topology) durable. It knows
 * streams and entries as opaque {@code long}s; a queue is a stream to it, but it does not know that.
 *
 * <p>Start with {@link io.ferrymq.store.journal.SegmentJournal#open}, which replays every live record to a
 * {@link io.ferrymq.store.journal.ReplayHandler} before it returns.
 */
package io.ferrymq.store.journal;
