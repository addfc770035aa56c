package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.deadletter.Redrive;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code POST /api/queues/{vhost}/{name}/redrive}: moves messages out of a dead-letter queue, back to the queue of
 * their latest {@code x-death} or to a given exchange ({@link Redrive}). The user needs read on the queue and
 * write on the target exchange.
 */
final class RedriveEndpoint {
    private static final Set<String> REASONS = Set.of("rejected", "expired", "maxlen", "delivery_limit");

    private final BrokerAdmin admin;
    private final VhostAccess access;

    RedriveEndpoint(BrokerAdmin admin, VhostAccess access) {
        this.admin = admin;
        this.access = access;
    }

    List<Route> routes() {
        return List.of(Route.post("/api/queues/{vhost}/{name}/redrive", Route.Access.MANAGEMENT, this::redrive));
    }

    private CompletionStage<ApiResponse> redrive(ApiRequest request) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        JsonBody body = JsonBody.of(request);
        int limit = body.integer("limit", Integer.MAX_VALUE);
        if (limit < 1) {
            throw ApiException.badRequest("key 'limit' must be 1 or more, not " + limit);
        }
        String exchange = body.string("exchange", null);
        String routingKey = body.string("routing_key", null);
        if (routingKey != null && exchange == null) {
            throw ApiException.badRequest("key 'routing_key' needs key 'exchange' too");
        }
        JsonNode filter = body.node("filter");
        String reason = null;
        String queue = null;
        if (!filter.isMissingNode()) {
            if (!filter.isObject()) {
                throw ApiException.badRequest("key 'filter' must be a JSON object, not " + filter);
            }
            var unknown = new java.util.ArrayList<String>();
            filter.fieldNames().forEachRemaining(key -> {
                if (!key.equals("reason") && !key.equals("queue")) {
                    unknown.add(key);
                }
            });
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest("unknown filter key(s) " + unknown + "; use reason and queue");
            }
            reason = filter.hasNonNull("reason") ? filter.get("reason").asText() : null;
            queue = filter.hasNonNull("queue") ? filter.get("queue").asText() : null;
            if (reason != null && !REASONS.contains(reason)) {
                throw ApiException.badRequest("filter reason '" + reason + "' is not one of rejected, expired,"
                        + " maxlen, delivery_limit");
            }
        }
        Redrive.Request redrive = new Redrive.Request(exchange, routingKey, limit, reason, queue);
        return admin.redrive(request.user().name(), vhost, request.param("name"), redrive)
                .thenApply(result -> ApiResponse.ok(obj("moved", result.moved(), "skipped", result.skipped())));
    }
}
