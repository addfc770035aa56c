package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;
import io.ferrymq.core.auth.PasswordHash;
import io.ferrymq.core.auth.Permission;
import io.ferrymq.core.policy.Policy;
import io.ferrymq.core.auth.User;
import io.ferrymq.core.vhost.VirtualHostInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/definitions[/{vhost}]}: export (GET) and import (POST) of users, vhosts, permissions, durable
 * exchanges, durable queues and their bindings in RabbitMQ's JSON format, administrators only. An import merges:
 * what exists stays, what the file adds is created, users and permissions in the file replace their namesakes.
 * Objects are created in order (vhosts, users, permissions, exchanges, queues, bindings), each once the previous
 * one is durable, on trusted sessions (the importing administrator needs no permissions in the vhosts).
 */
final class DefinitionsResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYSTEM_EXCHANGE_PREFIX = "amq.";

    private final NodeInfo node;
    private final BrokerAdmin admin;
    private final BrokerView view;

    DefinitionsResource(NodeInfo node, BrokerAdmin admin, BrokerView view) {
        this.node = node;
        this.admin = admin;
        this.view = view;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/definitions", Route.Access.ADMINISTRATOR, Endpoint.now(request ->
                        ApiResponse.ok(export(null)))),
                Route.get("/api/definitions/{vhost}", Route.Access.ADMINISTRATOR, Endpoint.now(request ->
                        ApiResponse.ok(export(existingVhost(request.param("vhost")))))),
                Route.post("/api/definitions", Route.Access.ADMINISTRATOR, request -> importAll(request, null)),
                Route.post("/api/definitions/{vhost}", Route.Access.ADMINISTRATOR,
                        request -> importAll(request, existingVhost(request.param("vhost")))));
    }

    // ---- export

    /** Everything, or (for {@code vhost}) that vhost's exchanges, queues and bindings as RabbitMQ exports them. */
    private Map<String, Object> export(String vhost) {
        Set<String> exported = new HashSet<>();
        List<Map<String, Object>> queues = new ArrayList<>();
        for (BrokerView.QueueSnapshot q : view.queues()) {
            if (q.durable() && !q.exclusive() && in(vhost, q.vhost())) {
                exported.add(q.vhost() + "/queue/" + q.name());
                queues.add(obj("name", q.name(), "vhost", q.vhost(), "durable", true, "auto_delete", q.autoDelete(),
                        "arguments", JsonValues.json(q.arguments())));
            }
        }
        List<Map<String, Object>> exchanges = new ArrayList<>();
        for (BrokerView.ExchangeSnapshot x : view.exchanges()) {
            boolean system = x.name().isEmpty() || x.name().startsWith(SYSTEM_EXCHANGE_PREFIX);
            if (system) {
                exported.add(x.vhost() + "/exchange/" + x.name());
            } else if (x.durable() && in(vhost, x.vhost())) {
                exported.add(x.vhost() + "/exchange/" + x.name());
                exchanges.add(obj("name", x.name(), "vhost", x.vhost(), "type", x.type(), "durable", true,
                        "auto_delete", x.autoDelete(), "internal", x.internal(),
                        "arguments", JsonValues.json(x.arguments())));
            }
        }
        List<Map<String, Object>> bindings = new ArrayList<>();
        for (BrokerView.BindingSnapshot b : view.bindings()) {
            if (in(vhost, b.vhost()) && exported.contains(b.vhost() + "/exchange/" + b.source())
                    && exported.contains(b.vhost() + "/" + b.destinationType() + "/" + b.destination())) {
                bindings.add(obj("source", b.source(), "vhost", b.vhost(), "destination", b.destination(),
                        "destination_type", b.destinationType(), "routing_key", b.routingKey(),
                        "arguments", JsonValues.json(b.arguments())));
            }
        }
        Map<String, Object> out = obj("rabbit_version", node.productVersion(),
                "rabbitmq_version", node.productVersion(), "product_name", "FerryMQ",
                "product_version", node.productVersion());
        if (vhost == null) {
            out.put("users", admin.access().users().list().stream().map(UsersResource::describe).toList());
            out.put("vhosts", admin.virtualHostInfos().stream().map(info -> obj("name", info.name(),
                    "description", info.description(), "tags", info.tags(),
                    "metadata", obj("description", info.description(), "tags", info.tags()))).toList());
            out.put("permissions", admin.access().permissions().list().stream()
                    .map(PermissionsResource::describe).toList());
            out.put("topic_permissions", List.of());
            out.put("parameters", List.of());
            out.put("global_parameters", List.of());
        }
        out.put("policies", admin.policies().list(vhost).stream().map(p -> {
            Map<String, Object> policy = PoliciesResource.describe(p);
            if (vhost != null) {
                policy.remove("vhost");
            }
            return policy;
        }).toList());
        out.put("queues", queues);
        out.put("exchanges", exchanges);
        out.put("bindings", bindings);
        return out;
    }

    private static boolean in(String only, String vhost) {
        return only == null || only.equals(vhost);
    }

    // ---- import

    private CompletionStage<ApiResponse> importAll(ApiRequest request, String onlyVhost) {
        JsonNode root;
        try {
            root = JSON.readTree(request.body());
        } catch (IOException e) {
            throw ApiException.badRequest("the definitions are not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the definitions must be a JSON object");
        }
        List<Supplier<CompletionStage<?>>> steps = new ArrayList<>();
        if (onlyVhost == null) {
            root.path("vhosts").forEach(v -> steps.add(() -> vhost(v)));
            root.path("users").forEach(u -> steps.add(() -> user(u)));
            root.path("permissions").forEach(p -> steps.add(() -> admin.access().setPermission(new Permission(
                    text(p, "user"), text(p, "vhost"), text(p, "configure"), text(p, "write"), text(p, "read")))));
        }
        // before queues, so that the queues imported are configured by them at once
        root.path("policies").forEach(p -> {
            Policy policy = PoliciesResource.fromJson(vhostOf(p, onlyVhost), text(p, "name"), new JsonBody(p));
            steps.add(() -> admin.putPolicy(policy));
        });
        root.path("exchanges").forEach(x -> steps.add(() -> onSession(vhostOf(x, onlyVhost), s ->
                s.declareExchange(new ExchangeDeclaration(text(x, "name"), text(x, "type"), false,
                        x.path("durable").asBoolean(true), x.path("auto_delete").asBoolean(false),
                        x.path("internal").asBoolean(false), arguments(x))))));
        root.path("queues").forEach(q -> steps.add(() -> onSession(vhostOf(q, onlyVhost), s ->
                s.declareQueue(new QueueDeclaration(text(q, "name"), false, q.path("durable").asBoolean(true), false,
                        q.path("auto_delete").asBoolean(false), arguments(q))))));
        root.path("bindings").forEach(b -> steps.add(() -> onSession(vhostOf(b, onlyVhost), s ->
                "exchange".equals(text(b, "destination_type"))
                        ? s.bindExchange(text(b, "destination"), text(b, "source"), text(b, "routing_key"),
                        arguments(b))
                        : s.bindQueue(text(b, "destination"), text(b, "source"), text(b, "routing_key"),
                        arguments(b)))));
        CompletionStage<?> chain = CompletableFuture.completedFuture(null);
        for (Supplier<CompletionStage<?>> step : steps) {
            chain = chain.thenCompose(done -> step.get());
        }
        return chain.thenApply(done -> ApiResponse.noContent());
    }

    private CompletionStage<Void> vhost(JsonNode v) {
        JsonNode metadata = v.path("metadata");
        String description = v.has("description") ? v.path("description").asText()
                : metadata.path("description").asText("");
        JsonNode tagsNode = v.has("tags") ? v.path("tags") : metadata.path("tags");
        List<String> tags = new ArrayList<>();
        tagsNode.forEach(t -> tags.add(t.asText()));
        return admin.putVirtualHost(new VirtualHostInfo(text(v, "name"), description, tags));
    }

    private CompletionStage<Void> user(JsonNode u) {
        String algorithm = u.path("hashing_algorithm").asText(UsersResource.HASHING_ALGORITHM);
        if (!algorithm.equals(UsersResource.HASHING_ALGORITHM)) {
            throw ApiException.badRequest("user '" + text(u, "name") + "' has a " + algorithm + " password hash;"
                    + " FerryMQ imports " + UsersResource.HASHING_ALGORITHM + " hashes only");
        }
        String encoded = u.path("password_hash").asText("");
        PasswordHash hash;
        try {
            hash = encoded.isEmpty() ? null : PasswordHash.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("user '" + text(u, "name") + "': " + e.getMessage());
        }
        Set<String> tags = new HashSet<>();
        JsonNode tagsNode = u.path("tags");
        if (tagsNode.isArray()) {
            tagsNode.forEach(t -> tags.add(t.asText()));
        } else {
            for (String tag : tagsNode.asText("").split(",")) {
                if (!tag.isBlank()) {
                    tags.add(tag.trim());
                }
            }
        }
        return admin.access().putUser(new User(text(u, "name"), hash, tags));
    }

    private <T> CompletionStage<T> onSession(String vhost, Function<Session, CompletionStage<T>> op) {
        BrokerConnection connection = admin.connectTrusted(new ConnectionInfo("definitions import",
                "definitions import", "", ManagementSessions.PROTOCOL, Map.of()), vhost);
        CompletionStage<T> result;
        try {
            result = op.apply(connection.openSession(1));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((value, failure) -> connection.close());
    }

    private String vhostOf(JsonNode object, String onlyVhost) {
        return onlyVhost != null ? onlyVhost : text(object, "vhost");
    }

    private String existingVhost(String vhost) {
        if (admin.virtualHostInfos().stream().noneMatch(info -> info.name().equals(vhost))) {
            throw ApiException.notFound("no vhost '" + vhost + "'");
        }
        return vhost;
    }

    private static Map<String, Object> arguments(JsonNode object) {
        JsonNode arguments = object.path("arguments");
        return arguments.isObject() ? JsonValues.table(arguments) : Map.of();
    }

    private static String text(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            if (name.equals("routing_key")) {
                return "";
            }
            throw ApiException.badRequest("definition " + object + " has no '" + name + "'");
        }
        return value.asText();
    }
}
