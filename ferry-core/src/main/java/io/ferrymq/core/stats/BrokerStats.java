package io.ferrymq.core.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Broker-wide message counters for metrics. Thread-safe and cheap to bump from any thread
 * ({@link LongAdder}); a {@link #snapshot()} is not atomic across counters.
 */
public final class BrokerStats {
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final LongAdder deduplicated = new LongAdder();
    /** By reason ({@code rejected}, {@code expired}, {@code maxlen}, {@code delivery_limit}). */
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> lost = new ConcurrentHashMap<>();

    /**
     * Counter values at one moment.
     *
     * @param deduplicated duplicates (G4) that a queue or exchange confirmed but did not take
     * @param deadLettered messages that left a queue unacknowledged and went to its dead-letter exchange, by reason
     * @param lost         messages that left a queue unacknowledged with no dead-letter exchange to take them (none
     *                     set, missing, unroutable, or a cycle), by reason: G7's "counted in the metrics"
     */
    public record Snapshot(long published, long delivered, long redelivered, long acked, long discarded,
                           long deduplicated, Map<String, Long> deadLettered, Map<String, Long> lost) {
    }

    /** A message accepted from a publisher (before routing; counted once however many queues take it). */
    public void published() {
        published.increment();
    }

    /** A message handed to a consumer or basic.get; {@code again}: it had been delivered before. */
    public void delivered(boolean again) {
        delivered.increment();
        if (again) {
            redelivered.increment();
        }
    }

    public void acked() {
        acked.increment();
    }

    /** Rejected or nacked without requeue (then dead-lettered or lost, and counted there too). */
    public void discarded() {
        discarded.increment();
    }

    public void deadLettered(String reason) {
        deadLettered.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void lost(String reason) {
        lost.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** A duplicate (G4) that a queue or exchange confirmed but did not take; counted per queue or exchange. */
    public void deduplicated() {
        deduplicated.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(published.sum(), delivered.sum(), redelivered.sum(), acked.sum(), discarded.sum(),
                deduplicated.sum(), sums(deadLettered), sums(lost));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((reason, counter) -> sums.put(reason, counter.sum()));
        return sums;
    }
}
