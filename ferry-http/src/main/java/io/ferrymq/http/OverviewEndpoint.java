package io.ferrymq.http;

import io.ferrymq.core.BrokerView;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/overview}: the subset of RabbitMQ's overview that FerryMQ can answer truthfully today. Counts
 * are snapshots that may lag operations in progress.
 */
final class OverviewEndpoint implements Endpoint {
    private final NodeInfo node;
    private final BrokerView view;

    OverviewEndpoint(NodeInfo node, BrokerView view) {
        this.node = node;
        this.view = view;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        var listeners = new ArrayList<>(node.listeners());
        listeners.add(new Listener("http", request.localAddress().getPort()));
        List<BrokerView.QueueSnapshot> queues = view.queues();
        long ready = 0;
        long unacknowledged = 0;
        long consumers = 0;
        for (BrokerView.QueueSnapshot queue : queues) {
            ready += queue.messagesReady();
            unacknowledged += queue.messagesUnacknowledged();
            consumers += queue.consumers();
        }
        return ApiResponse.ok(new Overview("FerryMQ", node.productVersion(), node.nodeName(), listeners,
                new ObjectTotals(view.connectionCount(), view.exchanges().size(), queues.size(), consumers),
                new QueueTotals(ready + unacknowledged, ready, unacknowledged)));
    }

    record Overview(String productName, String productVersion, String node, List<Listener> listeners,
                    ObjectTotals objectTotals, QueueTotals queueTotals) {
    }

    /** RabbitMQ also counts channels here; the broker does not track them yet, so the field is left out. */
    record ObjectTotals(long connections, long exchanges, long queues, long consumers) {
    }

    record QueueTotals(long messages, long messagesReady, long messagesUnacknowledged) {
    }
}
