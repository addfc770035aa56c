package io.ferrymq.http;

import io.ferrymq.core.BrokerView;
import io.ferrymq.core.stats.BrokerStats;

import java.util.HashMap;
import java.util.List;
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

    /** Per queue (vhost, name): published, delivered, acked. */
    private record Samples(BrokerStats.Snapshot previous, long previousNanos, BrokerStats.Snapshot latest,
                           long latestNanos, Map<List<String>, long[]> previousQueues,
                           Map<List<String>, long[]> latestQueues) {
    }

    MessageRates(BrokerView view) {
        this.view = view;
        BrokerStats.Snapshot now = view.stats();
        long nanos = System.nanoTime();
        Map<List<String>, long[]> queues = queueCounters();
        this.samples = new Samples(now, nanos, now, nanos, queues, queues);
    }

    /** Takes a sample; called by one thread (the HTTP event loop's timer). */
    void sample() {
        Samples current = samples;
        samples = new Samples(current.latest(), current.latestNanos(), view.stats(), System.nanoTime(),
                current.latestQueues(), queueCounters());
    }

    private Map<List<String>, long[]> queueCounters() {
        Map<List<String>, long[]> counters = new HashMap<>();
        for (BrokerView.QueueSnapshot q : view.queues()) {
            counters.put(List.of(q.vhost(), q.name()), new long[]{q.published(), q.delivered(), q.acked()});
        }
        return counters;
    }

    /**
     * A queue's {@code message_stats}: {@code publish}, {@code deliver_get} and {@code ack} totals (now) with their
     * {@code _details.rate} per second over the last interval (0 for a queue newer than that).
     */
    Map<String, Object> queueStats(BrokerView.QueueSnapshot q) {
        Samples current = samples;
        double seconds = (current.latestNanos() - current.previousNanos()) / 1e9;
        long[] latest = current.latestQueues().get(List.of(q.vhost(), q.name()));
        long[] previous = current.previousQueues().get(List.of(q.vhost(), q.name()));
        long[] now = {q.published(), q.delivered(), q.acked()};
        String[] names = {"publish", "deliver_get", "ack"};
        Map<String, Object> stats = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            double rate = latest == null || previous == null || seconds <= 0 ? 0
                    : Math.max(0, latest[i] - previous[i]) / seconds;
            stats.put(names[i], now[i]);
            stats.put(names[i] + "_details", Map.of("rate", Math.round(rate * 10) / 10.0));
        }
        return stats;
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
