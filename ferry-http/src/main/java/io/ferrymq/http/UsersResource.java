package io.ferrymq.http;

import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.auth.PasswordHash;
import io.ferrymq.core.auth.User;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.ferrymq.http.JsonMaps.obj;

/**
 * {@code /api/users[/{name}]} (administrators only) and {@code /api/whoami} (everyone). A user is created with
 * {@code password} (hashed here) or RabbitMQ's {@code password_hash} (salted SHA-256, base64), and {@code tags}.
 */
final class UsersResource {
    static final String HASHING_ALGORITHM = "rabbit_password_hashing_sha256";

    private final BrokerAdmin admin;

    UsersResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/whoami", Route.Access.MANAGEMENT, Endpoint.now(request ->
                        ApiResponse.ok(obj("name", request.user().name(), "tags", sorted(request.user().tags()))))),
                Route.get("/api/users", Route.Access.ADMINISTRATOR, Endpoint.now(request -> ApiResponse.ok(
                        admin.access().users().list().stream().map(UsersResource::describe).toList()))),
                Route.get("/api/users/{name}", Route.Access.ADMINISTRATOR, Endpoint.now(this::show)),
                Route.put("/api/users/{name}", Route.Access.ADMINISTRATOR, this::put),
                Route.delete("/api/users/{name}", Route.Access.ADMINISTRATOR, this::delete),
                Route.get("/api/users/{name}/permissions", Route.Access.ADMINISTRATOR, Endpoint.now(request ->
                        ApiResponse.ok(admin.access().permissions().list().stream()
                                .filter(p -> p.user().equals(request.param("name")))
                                .map(PermissionsResource::describe).toList()))));
    }

    private ApiResponse show(ApiRequest request) {
        return ApiResponse.ok(describe(user(request.param("name"))));
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        String name = request.param("name");
        JsonBody body = JsonBody.of(request);
        User existing = admin.access().users().get(name);
        PasswordHash hash = hash(body, existing);
        Set<String> tags = body.has("tags") ? Set.copyOf(body.tags("tags"))
                : existing == null ? Set.of() : existing.tags();
        CompletableFuture<Void> written = admin.access().putUser(new User(name, hash, tags));
        return written.thenApply(done -> existing == null ? ApiResponse.created() : ApiResponse.noContent());
    }

    /** The new password's hash; a user without password or hash keeps its hash (or has none: no password login). */
    private static PasswordHash hash(JsonBody body, User existing) {
        if (body.has("password")) {
            return PasswordHash.of(body.string("password", ""), new java.security.SecureRandom());
        }
        if (body.has("password_hash")) {
            String algorithm = body.string("hashing_algorithm", HASHING_ALGORITHM);
            if (!algorithm.equals(HASHING_ALGORITHM)) {
                throw ApiException.badRequest("hashing_algorithm '" + algorithm + "' is not supported: FerryMQ"
                        + " stores " + HASHING_ALGORITHM + " hashes; send the password instead");
            }
            String encoded = body.string("password_hash", "");
            if (encoded.isEmpty()) {
                return null;
            }
            try {
                return PasswordHash.decode(encoded);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("password_hash is not a base64 salted SHA-256 hash: " + e.getMessage());
            }
        }
        return existing == null ? null : existing.passwordHash();
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        return admin.access().deleteUser(request.param("name")).thenApply(done -> ApiResponse.noContent());
    }

    private User user(String name) {
        User user = admin.access().users().get(name);
        if (user == null) {
            throw ApiException.notFound("no user '" + name + "'");
        }
        return user;
    }

    static Map<String, Object> describe(User user) {
        return obj("name", user.name(),
                "password_hash", user.passwordHash() == null ? "" : user.passwordHash().encoded(),
                "hashing_algorithm", HASHING_ALGORITHM, "tags", sorted(user.tags()), "limits", Map.of());
    }

    private static List<String> sorted(Set<String> tags) {
        return tags.stream().sorted().toList();
    }
}
