package io.ferrymq.http;

import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.auth.Permission;
import io.ferrymq.core.auth.User;
import io.ferrymq.core.vhost.VirtualHostInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/vhosts[/{vhost}]}: vhosts with their message totals. Everyone sees the vhosts they may use; only
 * administrators create (PUT), update or delete them. Creating a vhost gives its creator every permission there,
 * as RabbitMQ does, so that it is usable at once.
 */
final class VhostsResource {
    private static final String ALL = ".*";

    private final BrokerAdmin admin;
    private final BrokerView view;
    private final VhostAccess access;

    VhostsResource(BrokerAdmin admin, BrokerView view, VhostAccess access) {
        this.admin = admin;
        this.view = view;
        this.access = access;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/vhosts", Route.Access.MANAGEMENT, Endpoint.now(this::list)),
                Route.get("/api/vhosts/{vhost}", Route.Access.MANAGEMENT, Endpoint.now(this::show)),
                Route.put("/api/vhosts/{vhost}", Route.Access.ADMINISTRATOR, this::put),
                Route.delete("/api/vhosts/{vhost}", Route.Access.ADMINISTRATOR, this::delete),
                Route.get("/api/vhosts/{vhost}/permissions", Route.Access.ADMINISTRATOR,
                        Endpoint.now(this::permissions)));
    }

    private ApiResponse list(ApiRequest request) {
        List<BrokerView.QueueSnapshot> queues = view.queues();
        List<Map<String, Object>> out = new ArrayList<>();
        for (VirtualHostInfo info : admin.virtualHostInfos()) {
            if (access.sees(request.user(), info.name())) {
                out.add(describe(info, queues));
            }
        }
        return ApiResponse.ok(out);
    }

    private ApiResponse show(ApiRequest request) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        return ApiResponse.ok(describe(info(vhost), view.queues()));
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        String vhost = request.param("vhost");
        JsonBody body = JsonBody.of(request);
        boolean exists = admin.virtualHostInfos().stream().anyMatch(info -> info.name().equals(vhost));
        CompletableFuture<Void> written = admin.putVirtualHost(new VirtualHostInfo(vhost,
                body.string("description", exists ? info(vhost).description() : ""),
                body.has("tags") ? body.tags("tags") : exists ? info(vhost).tags() : List.of()));
        if (!exists) {
            User creator = request.user();
            written = written.thenCompose(done -> admin.access().setPermission(
                    new Permission(creator.name(), vhost, ALL, ALL, ALL)));
        }
        return written.thenApply(done -> exists ? ApiResponse.noContent() : ApiResponse.created());
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        String vhost = request.param("vhost");
        return admin.deleteVirtualHost(vhost).thenApply(done -> ApiResponse.noContent());
    }

    private ApiResponse permissions(ApiRequest request) {
        String vhost = request.param("vhost");
        access.require(request.user(), vhost);
        return ApiResponse.ok(admin.access().permissions().list().stream()
                .filter(p -> p.vhost().equals(vhost)).map(PermissionsResource::describe).toList());
    }

    private VirtualHostInfo info(String vhost) {
        return admin.virtualHostInfos().stream().filter(info -> info.name().equals(vhost)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no vhost '" + vhost + "'"));
    }

    private static Map<String, Object> describe(VirtualHostInfo info, List<BrokerView.QueueSnapshot> queues) {
        long ready = 0;
        long unacked = 0;
        for (BrokerView.QueueSnapshot q : queues) {
            if (q.vhost().equals(info.name())) {
                ready += q.messagesReady();
                unacked += q.messagesUnacknowledged();
            }
        }
        return obj("name", info.name(), "description", info.description(), "tags", info.tags(),
                "metadata", obj("description", info.description(), "tags", info.tags()),
                "tracing", false, "messages", ready + unacked, "messages_ready", ready,
                "messages_unacknowledged", unacked);
    }
}
