package io.ferrymq.http;

import io.ferrymq.core.auth.User;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {
    private static final User ADMIN = new User("admin", null, Set.of(User.ADMINISTRATOR));
    private static final User MANAGER = new User("bob", null, Set.of(User.MANAGEMENT));

    private final Router router = new Router(List.of(
            Route.get("/api/things", Route.Access.MANAGEMENT, Endpoint.now(request -> ApiResponse.ok("listed"))),
            Route.delete("/api/things", Route.Access.ADMINISTRATOR, Endpoint.now(request -> ApiResponse.ok("gone"))),
            Route.get("/api/things/{vhost}/{name}", Route.Access.MANAGEMENT, Endpoint.now(request ->
                    ApiResponse.ok(request.param("vhost") + "|" + request.param("name"))))));

    @Test
    void sendsAKnownRouteToItsEndpoint() {
        assertThat(dispatch(HttpMethod.GET, "/api/things", ADMIN).body()).isEqualTo("listed");
        assertThat(dispatch(HttpMethod.DELETE, "/api/things", ADMIN).body()).isEqualTo("gone");
    }

    @Test
    void parametersAreSplitBeforeTheyAreDecodedSoSlashCanBeAVhost() {
        assertThat(dispatch(HttpMethod.GET, "/api/things/%2F/a%20b", ADMIN).body()).isEqualTo("/|a b");
        assertThat(dispatch(HttpMethod.GET, "/api/things/%2F/a/", ADMIN).body()).isEqualTo("/|a");
    }

    @Test
    void anUnknownPathIs404() {
        ApiResponse response = dispatch(HttpMethod.GET, "/api/thing", ADMIN);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(response.body()).isEqualTo(new ApiResponse.ApiError("not_found", "no endpoint at /api/thing"));
        assertThat(dispatch(HttpMethod.GET, "/api/things/a/b/c", ADMIN).status())
                .isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void anotherMethodOnAKnownPathIs405WithTheAllowedOnes() {
        ApiResponse response = dispatch(HttpMethod.PUT, "/api/things", ADMIN);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(response.headers()).containsEntry("Allow", "DELETE, GET");
    }

    @Test
    void aRouteForAdministratorsIs403ForOthers() {
        ApiResponse response = dispatch(HttpMethod.DELETE, "/api/things", MANAGER);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(response.body()).isEqualTo(new ApiResponse.ApiError("access_refused",
                "user 'bob' needs the tag administrator for this"));
    }

    @Test
    void refusesTwoEndpointsForOneRoute() {
        Endpoint endpoint = Endpoint.now(request -> ApiResponse.ok("x"));

        assertThatThrownBy(() -> new Router(List.of(Route.get("/a", Route.Access.MANAGEMENT, endpoint),
                Route.get("/a", Route.Access.MANAGEMENT, endpoint))))
                .hasMessage("two endpoints for GET /a");
    }

    private ApiResponse dispatch(HttpMethod method, String path, User user) {
        return router.dispatch(new ApiRequest(method, path, Map.of(), Map.of(), Map.of(), new byte[0], user,
                new InetSocketAddress("127.0.0.1", 15672))).toCompletableFuture().join();
    }
}
