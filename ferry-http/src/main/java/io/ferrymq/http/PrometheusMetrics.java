package io.ferrymq.http;

import io.ferrymq.core.BrokerView;
import io.ferrymq.core.stats.BrokerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: the broker in Prometheus' text format, through Micrometer. Every meter reads the broker's
 * view when scraped, so nothing is counted twice and nothing costs anything between scrapes. Per-queue gauges
 * (labels {@code vhost}, {@code queue}) are refreshed at each scrape, so deleted queues disappear. Scraped on the
 * HTTP event loop only (one thread), which the per-queue refresh relies on. Micrometer's processor metrics are
 * left out: their names ({@code system_cpu_count}, {@code process_cpu_time_ns_total}) fail {@code promtool check
 * metrics}.
 */
final class PrometheusMetrics implements Endpoint {
    /** Prometheus' text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String EXPIRED = "expired";
    private static final List<String> DEATH_REASONS = List.of("rejected", EXPIRED, "maxlen", "delivery_limit");

    private final BrokerView view;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge queueReady;
    private final MultiGauge queueUnacked;
    private final MultiGauge queueConsumers;

    PrometheusMetrics(BrokerView view) {
        this.view = view;
        gauge("ferrymq.connections", "Open client connections", v -> v.connectionCount());
        gauge("ferrymq.channels", "Open channels (sessions)", v -> v.channels().size());
        gauge("ferrymq.queues", "Queues in every vhost", v -> v.queues().size());
        gauge("ferrymq.consumers", "Consumers of every queue", v -> v.consumers().size());
        gauge("ferrymq.messages.ready", "Messages ready for delivery, all queues",
                v -> v.queues().stream().mapToLong(BrokerView.QueueSnapshot::messagesReady).sum());
        gauge("ferrymq.messages.unacked", "Messages delivered and not yet acknowledged, all queues",
                v -> v.queues().stream().mapToLong(BrokerView.QueueSnapshot::messagesUnacknowledged).sum());
        counter("ferrymq.messages.published", "Messages accepted from publishers", BrokerStats.Snapshot::published);
        counter("ferrymq.messages.delivered", "Deliveries to consumers and basic.get", BrokerStats.Snapshot::delivered);
        counter("ferrymq.messages.redelivered", "Deliveries of messages delivered before",
                BrokerStats.Snapshot::redelivered);
        counter("ferrymq.messages.acked", "Deliveries acknowledged", BrokerStats.Snapshot::acked);
        counter("ferrymq.messages.discarded", "Deliveries rejected or nacked without requeue",
                BrokerStats.Snapshot::discarded);
        counter("ferrymq.messages.deduplicated", "Duplicates a queue or exchange confirmed but did not take",
                BrokerStats.Snapshot::deduplicated);
        counter("ferrymq.messages.expired", "Messages whose TTL passed in a queue (dead-lettered or dropped)",
                s -> s.deadLettered().getOrDefault(EXPIRED, 0L) + s.lost().getOrDefault(EXPIRED, 0L));
        for (String reason : DEATH_REASONS) {
            FunctionCounter.builder("ferrymq.messages.dead.lettered", view,
                            v -> v.stats().deadLettered().getOrDefault(reason, 0L))
                    .description("Messages that left a queue unacknowledged for the dead-letter exchange, by reason")
                    .tags("reason", reason).register(registry);
            FunctionCounter.builder("ferrymq.messages.dead.letter.dropped", view,
                            v -> v.stats().lost().getOrDefault(reason, 0L))
                    .description("Messages that left a queue unacknowledged with no dead-letter exchange to take"
                            + " them, by reason").tags("reason", reason).register(registry);
        }
        FunctionCounter.builder("ferrymq.store.fsyncs", view, v -> v.storeStats().fsyncs())
                .description("Forced writes of the message store (one per group-commit batch)").register(registry);
        FunctionCounter.builder("ferrymq.store.records", view, v -> v.storeStats().records())
                .description("Records written to the message store").register(registry);
        FunctionCounter.builder("ferrymq.store.written", view, v -> v.storeStats().bytes()).baseUnit("bytes")
                .description("Bytes written to the message store").register(registry);
        gauge("ferrymq.store.records.per.fsync", "Average records per forced write since start (group commit)",
                v -> v.storeStats().fsyncs() == 0 ? 0 : (double) v.storeStats().records() / v.storeStats().fsyncs());
        gauge("ferrymq.store.segments", "Segment files of the message store", v -> v.storeStats().segments());
        Gauge.builder("ferrymq.store.disk", view, v -> v.storeStats().diskBytes()).baseUnit("bytes")
                .description("Bytes of the message store's segment files").register(registry);
        Gauge.builder("ferrymq.memory.used", view, BrokerView::memoryUsedBytes).baseUnit("bytes")
                .description("Message bytes held in memory, as the memory alarm counts them").register(registry);
        Gauge.builder("ferrymq.memory.limit", view, BrokerView::memoryLimitBytes).baseUnit("bytes")
                .description("Memory high watermark: above it publishers are blocked").register(registry);
        gauge("ferrymq.memory.alarm", "1 while the memory alarm blocks publishers, else 0",
                v -> v.memoryAlarm() ? 1 : 0);
        queueReady = MultiGauge.builder("ferrymq.queue.messages.ready")
                .description("Messages ready for delivery in the queue").register(registry);
        queueUnacked = MultiGauge.builder("ferrymq.queue.messages.unacked")
                .description("Messages of the queue delivered and not yet acknowledged").register(registry);
        queueConsumers = MultiGauge.builder("ferrymq.queue.consumers")
                .description("Consumers of the queue").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        return CompletableFuture.completedFuture(ApiResponse.ok(new ApiResponse.Raw(CONTENT_TYPE,
                scrape().getBytes(StandardCharsets.UTF_8))));
    }

    /** The text Prometheus reads; per-queue gauges are brought up to date first. */
    String scrape() {
        List<BrokerView.QueueSnapshot> queues = view.queues();
        queueReady.register(rows(queues, BrokerView.QueueSnapshot::messagesReady), true);
        queueUnacked.register(rows(queues, BrokerView.QueueSnapshot::messagesUnacknowledged), true);
        queueConsumers.register(rows(queues, BrokerView.QueueSnapshot::consumers), true);
        return registry.scrape();
    }

    private static List<MultiGauge.Row<?>> rows(List<BrokerView.QueueSnapshot> queues,
                                                Function<BrokerView.QueueSnapshot, Integer> value) {
        return queues.stream().<MultiGauge.Row<?>>map(q -> MultiGauge.Row.of(
                Tags.of("vhost", q.vhost(), "queue", q.name()), value.apply(q))).toList();
    }

    private void gauge(String name, String description, ToDoubleFunction<BrokerView> value) {
        Gauge.builder(name, view, value).description(description).register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<BrokerStats.Snapshot> value) {
        FunctionCounter.builder(name, view, v -> value.applyAsDouble(v.stats())).description(description)
                .register(registry);
    }
}
