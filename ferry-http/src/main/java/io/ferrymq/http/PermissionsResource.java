package io.ferrymq.http;

import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.auth.Permission;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/** {@code /api/permissions[/{vhost}/{user}]}: administrators list, set (PUT) and clear (DELETE) permissions. */
final class PermissionsResource {
    private final BrokerAdmin admin;

    PermissionsResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/permissions", Route.Access.ADMINISTRATOR, Endpoint.now(request -> ApiResponse.ok(
                        admin.access().permissions().list().stream().map(PermissionsResource::describe).toList()))),
                Route.get("/api/permissions/{vhost}/{user}", Route.Access.ADMINISTRATOR, Endpoint.now(this::show)),
                Route.put("/api/permissions/{vhost}/{user}", Route.Access.ADMINISTRATOR, this::put),
                Route.delete("/api/permissions/{vhost}/{user}", Route.Access.ADMINISTRATOR, this::delete));
    }

    private ApiResponse show(ApiRequest request) {
        Permission permission = admin.access().permissions().get(request.param("user"), request.param("vhost"));
        if (permission == null) {
            throw ApiException.notFound("user '" + request.param("user") + "' has no permissions in vhost '"
                    + request.param("vhost") + "'");
        }
        return ApiResponse.ok(describe(permission));
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        String vhost = request.param("vhost");
        String user = request.param("user");
        if (admin.virtualHostInfos().stream().noneMatch(info -> info.name().equals(vhost))) {
            throw ApiException.notFound("no vhost '" + vhost + "'");
        }
        JsonBody body = JsonBody.of(request);
        boolean existed = admin.access().permissions().get(user, vhost) != null;
        Permission permission = new Permission(user, vhost, body.required("configure"), body.required("write"),
                body.required("read"));
        return admin.access().setPermission(permission)
                .thenApply(done -> existed ? ApiResponse.noContent() : ApiResponse.created());
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        return admin.access().clearPermission(request.param("user"), request.param("vhost"))
                .thenApply(done -> ApiResponse.noContent());
    }

    static Map<String, Object> describe(Permission p) {
        return obj("user", p.user(), "vhost", p.vhost(), "configure", p.configure(), "write", p.write(),
                "read", p.read());
    }
}
