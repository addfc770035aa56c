package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.auth.User;
import io.ferrymq.core.policy.Policy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/policies[/{vhost}[/{name}]]}: policies in RabbitMQ's shape. Users tagged policymaker or administrator
 * list, set and delete them in the vhosts they may see.
 */
final class PoliciesResource {
    private final BrokerAdmin admin;
    private final VhostAccess access;

    PoliciesResource(BrokerAdmin admin, VhostAccess access) {
        this.admin = admin;
        this.access = access;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/policies", Route.Access.MANAGEMENT, Endpoint.now(request -> list(request, null))),
                Route.get("/api/policies/{vhost}", Route.Access.MANAGEMENT,
                        Endpoint.now(request -> list(request, request.param("vhost")))),
                Route.get("/api/policies/{vhost}/{name}", Route.Access.MANAGEMENT, Endpoint.now(this::show)),
                Route.put("/api/policies/{vhost}/{name}", Route.Access.MANAGEMENT, this::put),
                Route.delete("/api/policies/{vhost}/{name}", Route.Access.MANAGEMENT, this::delete));
    }

    /** @throws ApiException 403 unless the user is tagged policymaker or administrator */
    static void requirePolicymaker(User user) {
        if (!user.isAdministrator() && !user.hasTag(User.POLICYMAKER)) {
            throw ApiException.forbidden("user '" + user.name() + "' needs the tag policymaker or administrator"
                    + " for this");
        }
    }

    private ApiResponse list(ApiRequest request, String vhost) {
        requirePolicymaker(request.user());
        if (vhost != null) {
            access.require(request.user(), vhost);
        }
        return ApiResponse.ok(admin.policies().list(vhost).stream()
                .filter(p -> access.sees(request.user(), p.vhost()))
                .map(PoliciesResource::describe).toList());
    }

    private ApiResponse show(ApiRequest request) {
        requirePolicymaker(request.user());
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        Policy policy = admin.policies().get(vhost, request.param("name"));
        if (policy == null) {
            throw ApiException.notFound("no policy '" + request.param("name") + "' in vhost '" + vhost + "'");
        }
        return ApiResponse.ok(describe(policy));
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        requirePolicymaker(request.user());
        String vhost = request.param("vhost");
        String name = request.param("name");
        access.require(request.user(), vhost);
        Policy policy = fromJson(vhost, name, JsonBody.of(request));
        boolean existed = admin.policies().get(vhost, name) != null;
        return admin.putPolicy(policy).thenApply(done -> existed ? ApiResponse.noContent() : ApiResponse.created());
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        requirePolicymaker(request.user());
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        return admin.deletePolicy(vhost, request.param("name")).thenApply(done -> ApiResponse.noContent());
    }

    /** A policy from its JSON ({@code pattern}, {@code apply-to}, {@code priority}, {@code definition}). */
    static Policy fromJson(String vhost, String name, JsonBody body) {
        JsonNode definition = body.node("definition");
        if (!definition.isObject()) {
            throw ApiException.badRequest("key 'definition' must be a JSON object, not "
                    + (definition.isMissingNode() ? "missing" : definition.toString()));
        }
        return new Policy(vhost, name, body.required("pattern"), body.string("apply-to", "all"),
                body.integer("priority", 0), JsonValues.table(definition));
    }

    static Map<String, Object> describe(Policy p) {
        return obj("vhost", p.vhost(), "name", p.name(), "pattern", p.pattern(), "apply-to", p.applyTo(),
                "priority", p.priority(), "definition", p.definition());
    }
}
