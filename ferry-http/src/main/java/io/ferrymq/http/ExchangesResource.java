package io.ferrymq.http;

import io.ferrymq.core.BrokerView;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/exchanges[/{vhost}[/{name}]]} and {@code .../publish}. The default exchange is {@code amq.default}
 * in paths and {@code ""} in listings, as in RabbitMQ. Changes run on a session as the requesting user.
 */
final class ExchangesResource {
    static final String DEFAULT_EXCHANGE = "amq.default";

    private final BrokerView view;
    private final VhostAccess access;
    private final ManagementSessions sessions;

    ExchangesResource(BrokerView view, VhostAccess access, ManagementSessions sessions) {
        this.view = view;
        this.access = access;
        this.sessions = sessions;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/exchanges", Route.Access.MANAGEMENT, Endpoint.now(request -> list(request, null))),
                Route.get("/api/exchanges/{vhost}", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> list(request, request.param("vhost")))),
                Route.get("/api/exchanges/{vhost}/{name}", Route.Access.MANAGEMENT, Endpoint.now(this::show)),
                Route.put("/api/exchanges/{vhost}/{name}", Route.Access.MANAGEMENT, this::put),
                Route.delete("/api/exchanges/{vhost}/{name}", Route.Access.MANAGEMENT, this::delete),
                Route.post("/api/exchanges/{vhost}/{name}/publish", Route.Access.MANAGEMENT, this::publish));
    }

    private ApiResponse list(ApiRequest request, String vhost) {
        if (vhost != null) {
            access.require(request.user(), vhost);
        }
        return ApiResponse.ok(view.exchanges().stream()
                .filter(x -> vhost == null ? access.sees(request.user(), x.vhost()) : x.vhost().equals(vhost))
                .sorted(Comparator.comparing(BrokerView.ExchangeSnapshot::vhost)
                        .thenComparing(BrokerView.ExchangeSnapshot::name))
                .map(ExchangesResource::describe).toList());
    }

    private ApiResponse show(ApiRequest request) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        String name = name(request);
        return ApiResponse.ok(view.exchanges().stream()
                .filter(x -> x.vhost().equals(vhost) && x.name().equals(name)).findFirst()
                .map(ExchangesResource::describe)
                .orElseThrow(() -> ApiException.notFound("no exchange '" + request.param("name") + "' in vhost '"
                        + vhost + "'")));
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = name(request);
        JsonBody body = JsonBody.of(request);
        boolean existed = exists(vhost, name);
        ExchangeDeclaration declaration = new ExchangeDeclaration(name, body.required("type"), false,
                body.bool("durable", false), body.bool("auto_delete", false), body.bool("internal", false),
                body.table("arguments"));
        return sessions.run(request.user(), vhost, session -> session.declareExchange(declaration))
                .thenApply(done -> existed ? ApiResponse.noContent() : ApiResponse.created());
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = name(request);
        if (!exists(vhost, name)) {
            throw ApiException.notFound("no exchange '" + request.param("name") + "' in vhost '" + vhost + "'");
        }
        boolean ifUnused = "true".equals(request.query("if-unused", "false"));
        return sessions.run(request.user(), vhost, session -> session.deleteExchange(name, ifUnused))
                .thenApply(done -> ApiResponse.noContent());
    }

    private CompletionStage<ApiResponse> publish(ApiRequest request) {
        String vhost = request.param("vhost");
        String name = name(request);
        JsonBody body = JsonBody.of(request);
        byte[] payload = MessageJson.payload(body.required("payload"), body.string("payload_encoding", "string"));
        Message message = new Message(name, body.required("routing_key"),
                MessageJson.properties(body.node("properties")), payload);
        return sessions.run(request.user(), vhost, session -> session.publish(new PublishRequest(message, false)))
                .thenApply(outcome -> ApiResponse.ok(obj("routed", outcome == PublishOutcome.ROUTED)));
    }

    private boolean exists(String vhost, String name) {
        return view.exchanges().stream().anyMatch(x -> x.vhost().equals(vhost) && x.name().equals(name));
    }

    /** The exchange named in the path, {@code amq.default} being the default exchange. */
    private static String name(ApiRequest request) {
        String name = request.param("name");
        return name.equals(DEFAULT_EXCHANGE) ? "" : name;
    }

    static Map<String, Object> describe(BrokerView.ExchangeSnapshot x) {
        Map<String, Object> described = obj("name", x.name(), "vhost", x.vhost(), "type", x.type(), "durable",
                x.durable(), "auto_delete", x.autoDelete(), "internal", x.internal(), "arguments",
                JsonValues.json(x.arguments()), "user_who_performed_action", "");
        if (x.messagesDelayed() >= 0) {
            // as RabbitMQ's delayed-message plugin shows it
            described.put("messages_delayed", x.messagesDelayed());
        }
        return described;
    }
}
