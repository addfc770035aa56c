package io.ferrymq.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends each request to the endpoint registered for its method and exact path. Immutable once built, so the
 * event-loop threads share it without locking. Later endpoints plug in as more {@link Route}s.
 */
public final class Router {
    private final Map<String, Map<HttpMethod, Endpoint>> endpointsByPath;

    public Router(List<Route> routes) {
        var byPath = new LinkedHashMap<String, Map<HttpMethod, Endpoint>>();
        for (Route route : routes) {
            var byMethod = byPath.computeIfAbsent(route.path(), path -> new LinkedHashMap<>());
            if (byMethod.putIfAbsent(route.method(), route.endpoint()) != null) {
                throw new IllegalArgumentException("two endpoints for " + route.method() + " " + route.path());
            }
        }
        byPath.replaceAll((path, byMethod) -> Map.copyOf(byMethod));
        this.endpointsByPath = Map.copyOf(byPath);
    }

    /** Answers with the matching endpoint's response, 404 for an unknown path, 405 for a known path's other methods. */
    public ApiResponse dispatch(ApiRequest request) {
        Map<HttpMethod, Endpoint> byMethod = endpointsByPath.get(request.path());
        if (byMethod == null) {
            return ApiResponse.error(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no endpoint at " + request.path());
        }
        Endpoint endpoint = byMethod.get(request.method());
        if (endpoint == null) {
            String allowed = byMethod.keySet().stream().map(HttpMethod::name).sorted()
                    .collect(Collectors.joining(", "));
            return ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                            request.path() + " answers " + allowed + ", not " + request.method())
                    .withHeader("Allow", allowed);
        }
        return endpoint.handle(request);
    }
}
