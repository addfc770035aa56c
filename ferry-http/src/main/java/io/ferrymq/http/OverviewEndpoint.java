package io.ferrymq.http;

import io.ferrymq.core.BrokerView;
import io.ferrymq.core.stats.BrokerStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code GET /api/overview}: the parts of RabbitMQ's overview that FerryMQ can answer truthfully. Counts are
 * snapshots that may lag operations in progress; message_stats are totals since start, with rates over the last
 * sampling interval of {@link MessageRates}.
 */
final class OverviewEndpoint implements Endpoint {
    private final NodeInfo node;
    private final BrokerView view;
    private final MessageRates rates;

    OverviewEndpoint(NodeInfo node, BrokerView view, MessageRates rates) {
        this.node = node;
        this.view = view;
        this.rates = rates;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        var listeners = new ArrayList<Map<String, Object>>();
        for (Listener listener : node.listeners()) {
            listeners.add(obj("protocol", listener.protocol(), "port", listener.port(), "node", node.nodeName()));
        }
        listeners.add(obj("protocol", "http", "port", request.localAddress().getPort(), "node", node.nodeName()));
        List<BrokerView.QueueSnapshot> queues = view.queues();
        long ready = 0;
        long unacknowledged = 0;
        long consumers = 0;
        for (BrokerView.QueueSnapshot queue : queues) {
            ready += queue.messagesReady();
            unacknowledged += queue.messagesUnacknowledged();
            consumers += queue.consumers();
        }
        return CompletableFuture.completedFuture(ApiResponse.ok(obj(
                "product_name", "FerryMQ", "product_version", node.productVersion(),
                "management_version", node.productVersion(), "rabbitmq_version", node.productVersion(),
                "cluster_name", node.nodeName(), "node", node.nodeName(), "listeners", listeners,
                "object_totals", obj("connections", view.connectionCount(), "channels", view.channels().size(),
                        "exchanges", view.exchanges().size(), "queues", queues.size(), "consumers", consumers),
                "queue_totals", obj("messages", ready + unacknowledged, "messages_ready", ready,
                        "messages_unacknowledged", unacknowledged),
                "message_stats", rates.messageStats())));
    }

    /** The counters as RabbitMQ names them, each with a {@code _details.rate} in messages per second. */
    static Map<String, Object> messageStats(BrokerStats.Snapshot now, BrokerStats.Snapshot before, double seconds) {
        Map<String, Object> stats = new java.util.LinkedHashMap<>();
        put(stats, "publish", now.published(), before.published(), seconds);
        put(stats, "deliver_get", now.delivered(), before.delivered(), seconds);
        put(stats, "redeliver", now.redelivered(), before.redelivered(), seconds);
        put(stats, "ack", now.acked(), before.acked(), seconds);
        return stats;
    }

    private static void put(Map<String, Object> stats, String name, long now, long before, double seconds) {
        stats.put(name, now);
        double rate = seconds <= 0 ? 0.0 : Math.max(0, now - before) / seconds;
        stats.put(name + "_details", obj("rate", Math.round(rate * 10) / 10.0));
    }
}
