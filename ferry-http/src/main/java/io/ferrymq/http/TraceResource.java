package io.ferrymq.http;

import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.trace.TraceEvent;
import io.ferrymq.core.trace.Tracer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/trace/{vhost}}: message trace. Users that see the vhost read its settings and query its events by
 * message id or correlation id; users tagged policymaker or administrator turn trace on and off for the vhost
 * ({@code PUT /api/trace/{vhost}}) or one queue ({@code PUT /api/trace/{vhost}/queues/{queue}}).
 */
final class TraceResource {
    private static final int DEFAULT_LIMIT = 1000;

    private final BrokerAdmin admin;
    private final BrokerView view;
    private final VhostAccess access;

    TraceResource(BrokerAdmin admin, BrokerView view, VhostAccess access) {
        this.admin = admin;
        this.view = view;
        this.access = access;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/trace/{vhost}", Route.Access.MANAGEMENT, Endpoint.now(this::get)),
                Route.put("/api/trace/{vhost}", Route.Access.MANAGEMENT, Endpoint.now(this::putVhost)),
                Route.put("/api/trace/{vhost}/queues/{queue}", Route.Access.MANAGEMENT, Endpoint.now(this::putQueue)));
    }

    /** Without a query: the settings; with {@code message_id} or {@code correlation_id}: the events. */
    private ApiResponse get(ApiRequest request) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        Tracer tracer = admin.tracer();
        String messageId = request.query("message_id", null);
        String correlationId = request.query("correlation_id", null);
        if (messageId == null && correlationId == null) {
            return ApiResponse.ok(obj("enabled", tracer.vhostEnabled(vhost), "queues", tracer.queuesEnabled(vhost)));
        }
        if (messageId != null && correlationId != null) {
            throw ApiException.badRequest("give message_id or correlation_id, not both");
        }
        int limit;
        try {
            limit = Integer.parseInt(request.query("limit", String.valueOf(DEFAULT_LIMIT)));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a positive integer, not '" + request.query("limit", "")
                    + "'");
        }
        if (limit < 1) {
            throw ApiException.badRequest("limit must be a positive integer, not " + limit);
        }
        return ApiResponse.ok(tracer.query(vhost, messageId, correlationId, limit).stream()
                .map(TraceResource::describe).toList());
    }

    private ApiResponse putVhost(ApiRequest request) {
        PoliciesResource.requirePolicymaker(request.user());
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        admin.tracer().enableVhost(vhost, enabled(request));
        return ApiResponse.noContent();
    }

    private ApiResponse putQueue(ApiRequest request) {
        PoliciesResource.requirePolicymaker(request.user());
        String vhost = request.param("vhost");
        String queue = request.param("queue");
        access.require(request.user(), vhost);
        boolean enabled = enabled(request);
        if (enabled && view.queues().stream().noneMatch(q -> q.vhost().equals(vhost) && q.name().equals(queue))) {
            throw ApiException.notFound("no queue '" + queue + "' in vhost '" + vhost + "'");
        }
        admin.tracer().enableQueue(vhost, queue, enabled);
        return ApiResponse.noContent();
    }

    private static boolean enabled(ApiRequest request) {
        JsonBody body = JsonBody.of(request);
        if (!body.has("enabled")) {
            throw ApiException.badRequest("key 'enabled' is missing from the request body");
        }
        return body.bool("enabled", false);
    }

    static Map<String, Object> describe(TraceEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", e.seq());
        out.put("timestamp", e.timestamp());
        out.put("event", e.event());
        put(out, "message_id", e.messageId());
        put(out, "correlation_id", e.correlationId());
        put(out, "vhost", e.vhost());
        put(out, "exchange", e.exchange());
        put(out, "routing_key", e.routingKey());
        put(out, "queue", e.queue());
        put(out, "queues", e.queues());
        put(out, "consumer_tag", e.consumerTag());
        put(out, "connection", e.connection());
        if (e.attempt() >= 0) {
            out.put("attempt", e.attempt());
        }
        put(out, "reason", e.reason());
        if (e.retryAt() >= 0) {
            out.put("retry_at", e.retryAt());
        }
        put(out, "properties", e.properties());
        return out;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
