package io.ferrymq.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {
    private final Router router = new Router(List.of(
            new Route(HttpMethod.GET, "/api/things", request -> ApiResponse.ok("listed")),
            new Route(HttpMethod.DELETE, "/api/things", request -> ApiResponse.ok("deleted"))));

    @Test
    void sendsAKnownRouteToItsEndpoint() {
        assertThat(router.dispatch(request(HttpMethod.GET, "/api/things")).body()).isEqualTo("listed");
        assertThat(router.dispatch(request(HttpMethod.DELETE, "/api/things")).body()).isEqualTo("deleted");
    }

    @Test
    void anUnknownPathIs404() {
        ApiResponse response = router.dispatch(request(HttpMethod.GET, "/api/thing"));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(response.body()).isEqualTo(new ApiResponse.ApiError("not_found", "no endpoint at /api/thing"));
    }

    @Test
    void anotherMethodOnAKnownPathIs405WithTheAllowedOnes() {
        ApiResponse response = router.dispatch(request(HttpMethod.PUT, "/api/things"));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(response.headers()).containsEntry("Allow", "DELETE, GET");
    }

    @Test
    void refusesTwoEndpointsForOneRoute() {
        Endpoint endpoint = request -> ApiResponse.ok("x");

        assertThatThrownBy(() -> new Router(List.of(new Route(HttpMethod.GET, "/a", endpoint),
                new Route(HttpMethod.GET, "/a", endpoint))))
                .hasMessage("two endpoints for GET /a");
    }

    private static ApiRequest request(HttpMethod method, String path) {
        return new ApiRequest(method, path, "admin", new InetSocketAddress("127.0.0.1", 15672));
    }
}
