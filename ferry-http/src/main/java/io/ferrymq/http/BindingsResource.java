package io.ferrymq.http;

import io.ferrymq.core.BrokerView;
import io.ferrymq.core.BrokerView.BindingSnapshot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/bindings[/{vhost}]}, {@code /api/bindings/{vhost}/e/{source}/q|e/{destination}[/{props}]} and the
 * per-queue and per-exchange binding lists. Listings include the default exchange's implicit binding to every
 * queue, as RabbitMQ's do. A binding has no name in AMQP, so it is addressed by its {@code properties_key}: the
 * routing key ({@code ~} when empty), followed by {@code ~} and a digest of the arguments when it has any.
 */
final class BindingsResource {
    private final BrokerView view;
    private final VhostAccess access;
    private final ManagementSessions sessions;

    BindingsResource(BrokerView view, VhostAccess access, ManagementSessions sessions) {
        this.view = view;
        this.access = access;
        this.sessions = sessions;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>(List.of(
                Route.get("/api/bindings", Route.Access.MANAGEMENT, Endpoint.now(request -> list(request, null))),
                Route.get("/api/bindings/{vhost}", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> list(request, request.param("vhost")))),
                Route.get("/api/queues/{vhost}/{name}/bindings", Route.Access.MANAGEMENT, Endpoint.now(request ->
                        filtered(request, b -> b.destinationType().equals("queue")
                                && b.destination().equals(request.param("name"))))),
                Route.get("/api/exchanges/{vhost}/{name}/bindings/source", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> filtered(request,
                                b -> b.source().equals(exchange(request.param("name")))))),
                Route.get("/api/exchanges/{vhost}/{name}/bindings/destination", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> filtered(request, b -> b.destinationType().equals("exchange")
                                && b.destination().equals(exchange(request.param("name"))))))));
        for (String kind : List.of("q", "e")) {
            String between = "/api/bindings/{vhost}/e/{source}/" + kind + "/{destination}";
            routes.add(Route.get(between, Route.Access.MANAGEMENT, Endpoint.now(request -> filtered(request,
                    b -> matches(b, request, kind)))));
            routes.add(Route.post(between, Route.Access.MANAGEMENT, request -> create(request, kind)));
            routes.add(Route.get(between + "/{props}", Route.Access.MANAGEMENT,
                    Endpoint.now(request -> ApiResponse.ok(describe(one(request, kind))))));
            routes.add(Route.delete(between + "/{props}", Route.Access.MANAGEMENT, request -> delete(request, kind)));
        }
        return routes;
    }

    private ApiResponse list(ApiRequest request, String vhost) {
        if (vhost != null) {
            access.require(request.user(), vhost);
        }
        return ApiResponse.ok(all().stream()
                .filter(b -> vhost == null ? access.sees(request.user(), b.vhost()) : b.vhost().equals(vhost))
                .map(BindingsResource::describe).toList());
    }

    private ApiResponse filtered(ApiRequest request, java.util.function.Predicate<BindingSnapshot> which) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        return ApiResponse.ok(all().stream().filter(b -> b.vhost().equals(vhost)).filter(which)
                .map(BindingsResource::describe).toList());
    }

    private CompletionStage<ApiResponse> create(ApiRequest request, String kind) {
        String vhost = request.param("vhost");
        String source = exchange(request.param("source"));
        String destination = request.param("destination");
        JsonBody body = JsonBody.of(request);
        String routingKey = body.string("routing_key", "");
        Map<String, Object> arguments = body.table("arguments");
        String location = "/api/bindings/" + encode(vhost) + "/e/" + encode(request.param("source")) + "/" + kind
                + "/" + encode(destination) + "/" + encode(propertiesKey(routingKey, arguments));
        return sessions.run(request.user(), vhost, session -> kind.equals("q")
                        ? session.bindQueue(destination, source, routingKey, arguments)
                        : session.bindExchange(destination, source, routingKey, arguments))
                .thenApply(done -> ApiResponse.created().withHeader("Location", location));
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request, String kind) {
        BindingSnapshot binding = one(request, kind);
        return sessions.run(request.user(), binding.vhost(), session -> kind.equals("q")
                        ? session.unbindQueue(binding.destination(), binding.source(), binding.routingKey(),
                        binding.arguments())
                        : session.unbindExchange(binding.destination(), binding.source(), binding.routingKey(),
                        binding.arguments()))
                .thenApply(done -> ApiResponse.noContent());
    }

    private BindingSnapshot one(ApiRequest request, String kind) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        String props = request.param("props");
        return all().stream()
                .filter(b -> b.vhost().equals(vhost) && matches(b, request, kind)
                        && propertiesKey(b.routingKey(), b.arguments()).equals(props))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("no binding '" + props + "' from exchange '"
                        + request.param("source") + "' to " + (kind.equals("q") ? "queue" : "exchange") + " '"
                        + request.param("destination") + "' in vhost '" + vhost + "'"));
    }

    private static boolean matches(BindingSnapshot b, ApiRequest request, String kind) {
        return b.source().equals(exchange(request.param("source")))
                && b.destinationType().equals(kind.equals("q") ? "queue" : "exchange")
                && b.destination().equals(request.param("destination"));
    }

    /** Explicit bindings, then the default exchange's implicit one to each queue, by vhost. */
    private List<BindingSnapshot> all() {
        List<BindingSnapshot> all = new ArrayList<>();
        for (BrokerView.QueueSnapshot q : view.queues()) {
            all.add(new BindingSnapshot(q.vhost(), "", q.name(), "queue", q.name(), Map.of()));
        }
        all.addAll(view.bindings());
        all.sort(Comparator.comparing(BindingSnapshot::vhost));
        return all;
    }

    private static String exchange(String pathName) {
        return pathName.equals(ExchangesResource.DEFAULT_EXCHANGE) ? "" : pathName;
    }

    static Map<String, Object> describe(BindingSnapshot b) {
        return obj("source", b.source(), "vhost", b.vhost(), "destination", b.destination(),
                "destination_type", b.destinationType(), "routing_key", b.routingKey(),
                "arguments", JsonValues.json(b.arguments()),
                "properties_key", propertiesKey(b.routingKey(), b.arguments()));
    }

    static String propertiesKey(String routingKey, Map<String, Object> arguments) {
        String key = routingKey.isEmpty() ? "~" : routingKey;
        if (arguments == null || arguments.isEmpty()) {
            return key;
        }
        return key + "~" + digest(new TreeMap<>(JsonValues.json(arguments)).toString());
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
