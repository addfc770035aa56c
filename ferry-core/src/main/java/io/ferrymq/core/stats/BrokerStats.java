package io.ferrymq.core.stats;

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

    /** Counter values at one moment. */
    public record Snapshot(long published, long delivered, long redelivered, long acked, long discarded,
                           long deduplicated) {
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

    /** Rejected or nacked without requeue (and, until dead-lettering exists, gone). */
    public void discarded() {
        discarded.increment();
    }

    /** A duplicate (G4) that a queue or exchange confirmed but did not take; counted per queue or exchange. */
    public void deduplicated() {
        deduplicated.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(published.sum(), delivered.sum(), redelivered.sum(), acked.sum(), discarded.sum(),
                deduplicated.sum());
    }
}
