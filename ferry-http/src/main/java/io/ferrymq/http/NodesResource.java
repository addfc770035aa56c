package io.ferrymq.http;

import io.ferrymq.core.BrokerView;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import static io.ferrymq.http.JsonMaps.obj;

/** {@code /api/nodes[/{name}]}: the one node, with RabbitMQ's main fields (monitoring users and administrators). */
final class NodesResource {
    private final NodeInfo node;
    private final BrokerView view;

    NodesResource(NodeInfo node, BrokerView view) {
        this.node = node;
        this.view = view;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/nodes", Route.Access.MONITORING, Endpoint.now(request -> ApiResponse.ok(
                        List.of(describe())))),
                Route.get("/api/nodes/{name}", Route.Access.MONITORING, Endpoint.now(request -> {
                    if (!request.param("name").equals(node.nodeName())) {
                        throw ApiException.notFound("no node '" + request.param("name") + "'");
                    }
                    return ApiResponse.ok(describe());
                })));
    }

    private Map<String, Object> describe() {
        Runtime runtime = Runtime.getRuntime();
        return obj("name", node.nodeName(), "type", "disc", "running", true, "being_drained", false,
                "mem_used", view.memoryUsedBytes(), "mem_limit", view.memoryLimitBytes(),
                "mem_alarm", view.memoryAlarm(), "disk_free_alarm", false,
                "uptime", ManagementFactory.getRuntimeMXBean().getUptime(),
                "processors", runtime.availableProcessors(), "os_pid", Long.toString(ProcessHandle.current().pid()),
                "heap_used", runtime.totalMemory() - runtime.freeMemory(), "heap_max", runtime.maxMemory(),
                "product_version", node.productVersion());
    }
}
