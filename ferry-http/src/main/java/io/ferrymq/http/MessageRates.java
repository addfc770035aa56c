package io.ferrymq.http;

import io.ferrymq.core.BrokerView;
import io.ferrymq.core.stats.BrokerStats;

import java.util.Map;

/**
 * Message rates for the API: the broker's counters are sampled every {@link #INTERVAL_SECONDS} by the HTTP event
 * loop ({@link #sample}), and a rate is the change between the last two samples. Samples are swapped as one
 * immutable pair, so readers on any thread see a consistent one.
 */
final class MessageRates {
    static final int INTERVAL_SECONDS = 5;

    private final BrokerView view;
    private volatile Samples samples;

    private record Samples(BrokerStats.Snapshot previous, long previousNanos, BrokerStats.Snapshot latest,
                           long latestNanos) {
    }

    MessageRates(BrokerView view) {
        this.view = view;
        BrokerStats.Snapshot now = view.stats();
        long nanos = System.nanoTime();
        this.samples = new Samples(now, nanos, now, nanos);
    }

    /** Takes a sample; called by one thread (the HTTP event loop's timer). */
    void sample() {
        Samples current = samples;
        samples = new Samples(current.latest(), current.latestNanos(), view.stats(), System.nanoTime());
    }

    /** Totals now, rates over the last interval. */
    Map<String, Object> messageStats() {
        Samples current = samples;
        double seconds = (current.latestNanos() - current.previousNanos()) / 1e9;
        BrokerStats.Snapshot now = view.stats();
        Map<String, Object> totals = OverviewEndpoint.messageStats(current.latest(), current.previous(), seconds);
        // totals are current; the rates are those of the last complete interval
        OverviewEndpoint.messageStats(now, now, 0).forEach((key, value) -> {
            if (!key.endsWith("_details")) {
                totals.put(key, value);
            }
        });
        return totals;
    }
}
