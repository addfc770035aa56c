package io.ferrymq.http;

import com.fasterxml.jackson.databind.node.NullNode;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/queues[/{vhost}[/{name}]]}, {@code .../contents} (purge) and {@code .../get}. Counts are snapshots;
 * changes run on a session as the requesting user.
 */
final class QueuesResource {
    /** What {@code get} does with the messages it took: settle with this op. */
    private enum AckMode {
        ACK_REQUEUE_TRUE(SettleOp.REQUEUE), REJECT_REQUEUE_TRUE(SettleOp.REQUEUE),
        ACK_REQUEUE_FALSE(SettleOp.ACK), REJECT_REQUEUE_FALSE(SettleOp.DISCARD);

        final SettleOp op;

        AckMode(SettleOp op) {
            this.op = op;
        }

        static AckMode of(String text) {
            return Arrays.stream(values()).filter(m -> m.name().equalsIgnoreCase(text)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("ackmode must be one of ack_requeue_true,"
                            + " ack_requeue_false, reject_requeue_true, reject_requeue_false; not '" + text + "'"));
        }
    }

    private final String nodeName;
    private final BrokerView view;
    private final VhostAccess access;
    private final ManagementSessions sessions;
    private final MessageRates rates;

    QueuesResource(String nodeName, BrokerView view, VhostAccess access, ManagementSessions sessions,
                   MessageRates rates) {
        this.nodeName = nodeName;
        this.view = view;
        this.access = access;
        this.sessions = sessions;
        this.rates = rates;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/queues", Route.Access.MANAGEMENT, Endpoint.now(request -> list(request, null))),
                Route.get("/api/queues/{vhost}", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> list(request, request.param("vhost")))),
                Route.get("/api/queues/{vhost}/{name}", Route.Access.MANAGEMENT, Endpoint.now(this::show)),
                Route.put("/api/queues/{vhost}/{name}", Route.Access.MANAGEMENT, this::put),
                Route.delete("/api/queues/{vhost}/{name}", Route.Access.MANAGEMENT, this::delete),
                Route.delete("/api/queues/{vhost}/{name}/contents", Route.Access.MANAGEMENT, this::purge),
                Route.post("/api/queues/{vhost}/{name}/get", Route.Access.MANAGEMENT, this::get));
    }

    private ApiResponse list(ApiRequest request, String vhost) {
        if (vhost != null) {
            access.require(request.user(), vhost);
        }
        return ApiResponse.ok(view.queues().stream()
                .filter(q -> vhost == null ? access.sees(request.user(), q.vhost()) : q.vhost().equals(vhost))
                .sorted(Comparator.comparing(BrokerView.QueueSnapshot::vhost)
                        .thenComparing(BrokerView.QueueSnapshot::name))
                .map(this::describe).toList());
    }

    private ApiResponse show(ApiRequest request) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        return ApiResponse.ok(describe(queue(vhost, request.param("name"))));
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = request.param("name");
        JsonBody body = JsonBody.of(request);
        boolean existed = find(vhost, name) != null;
        QueueDeclaration declaration = new QueueDeclaration(name, false, body.bool("durable", false), false,
                body.bool("auto_delete", false), body.table("arguments"));
        return sessions.run(request.user(), vhost, session -> session.declareQueue(declaration))
                .thenApply(done -> existed ? ApiResponse.noContent() : ApiResponse.created());
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = queue(vhost, request.param("name")).name();
        boolean ifEmpty = "true".equals(request.query("if-empty", "false"));
        boolean ifUnused = "true".equals(request.query("if-unused", "false"));
        return sessions.run(request.user(), vhost, session -> session.deleteQueue(name, ifUnused, ifEmpty))
                .thenApply(count -> ApiResponse.noContent());
    }

    private CompletionStage<ApiResponse> purge(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = queue(vhost, request.param("name")).name();
        return sessions.run(request.user(), vhost, session -> session.purgeQueue(name))
                .thenApply(count -> ApiResponse.noContent());
    }

    /**
     * Takes up to {@code count} messages one after the other, then settles them all per {@code ackmode}: a
     * requeued message goes back to its place only after the last get, so no message comes back twice.
     */
    private CompletionStage<ApiResponse> get(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = queue(vhost, request.param("name")).name();
        JsonBody body = JsonBody.of(request);
        int count = body.integer("count", 1);
        AckMode mode = AckMode.of(body.required("ackmode"));
        String encoding = body.string("encoding", "auto");
        if (!encoding.equals("auto") && !encoding.equals("base64")) {
            throw ApiException.badRequest("encoding must be \"auto\" or \"base64\", not \"" + encoding + "\"");
        }
        int truncate = body.integer("truncate", Integer.MAX_VALUE);
        return sessions.run(request.user(), vhost, session -> take(session, name, count, new ArrayList<>())
                .thenApply(results -> {
                    if (!results.isEmpty()) {
                        long last = results.get(results.size() - 1).delivery().deliveryTag();
                        session.settle(last, true, mode.op);
                    }
                    return ApiResponse.ok(results.stream()
                            .map(r -> describe(r, encoding.equals("auto"), truncate)).toList());
                }));
    }

    private static CompletionStage<List<GetResult>> take(Session session, String queue, int left,
                                                         List<GetResult> taken) {
        if (left <= 0) {
            return CompletableFuture.completedFuture(taken);
        }
        return session.get(queue, false).thenCompose(result -> {
            if (result.isEmpty()) {
                return CompletableFuture.completedFuture(taken);
            }
            taken.add(result);
            return take(session, queue, left - 1, taken);
        });
    }

    private static Map<String, Object> describe(GetResult result, boolean auto, int truncate) {
        var message = result.delivery().message();
        byte[] body = message.body();
        byte[] shown = body.length > truncate ? Arrays.copyOf(body, truncate) : body;
        String[] payload = MessageJson.encode(shown, auto);
        return obj("payload_bytes", body.length, "redelivered", result.delivery().redelivered(),
                "exchange", message.exchange(), "routing_key", message.routingKey(),
                "message_count", result.messageCount(), "properties", MessageJson.json(message.properties()),
                "payload", payload[0], "payload_encoding", payload[1]);
    }

    private BrokerView.QueueSnapshot find(String vhost, String name) {
        return view.queues().stream().filter(q -> q.vhost().equals(vhost) && q.name().equals(name)).findFirst()
                .orElse(null);
    }

    private BrokerView.QueueSnapshot queue(String vhost, String name) {
        BrokerView.QueueSnapshot queue = find(vhost, name);
        if (queue == null) {
            throw ApiException.notFound("no queue '" + name + "' in vhost '" + vhost + "'");
        }
        return queue;
    }

    private Map<String, Object> describe(BrokerView.QueueSnapshot q) {
        return obj("name", q.name(), "vhost", q.vhost(), "type", q.type(), "durable", q.durable(),
                "auto_delete", q.autoDelete(), "exclusive", q.exclusive(),
                "arguments", JsonValues.json(q.arguments()), "node", nodeName, "state", "running",
                "messages", q.messagesReady() + q.messagesUnacknowledged(), "messages_ready", q.messagesReady(),
                "messages_unacknowledged", q.messagesUnacknowledged(), "consumers", q.consumers(),
                "policy", q.policy() == null ? NullNode.getInstance() : q.policy(),
                "effective_policy_definition", JsonValues.json(q.policyDefinition()),
                "message_stats", rates.queueStats(q));
    }
}
