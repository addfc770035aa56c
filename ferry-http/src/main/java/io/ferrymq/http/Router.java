package io.ferrymq.http;

import io.ferrymq.core.auth.User;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends each request to the endpoint whose template matches its path segment by segment, once the user's tags
 * allow the route. Segments are split before they are decoded, so a vhost {@code /} travels as {@code %2F}.
 * Immutable once built, so the event-loop threads share it without locking.
 */
public final class Router {
    private final List<Template> templates = new ArrayList<>();

    /** A path template and its endpoints by method. */
    private record Template(String[] segments, Map<HttpMethod, Route> byMethod) {
    }

    public Router(List<Route> routes) {
        Map<String, Map<HttpMethod, Route>> byTemplate = new LinkedHashMap<>();
        for (Route route : routes) {
            var byMethod = byTemplate.computeIfAbsent(route.template(), t -> new LinkedHashMap<>());
            if (byMethod.putIfAbsent(route.method(), route) != null) {
                throw new IllegalArgumentException("two endpoints for " + route.method() + " " + route.template());
            }
        }
        byTemplate.forEach((template, byMethod) -> templates.add(new Template(split(template), Map.copyOf(byMethod))));
    }

    /** Whether some route's template matches the path (whatever the method). */
    public boolean handles(String path) {
        String[] segments = split(path);
        return templates.stream().anyMatch(template -> match(template.segments(), segments) != null);
    }

    /**
     * The matching endpoint's answer; 404 for an unknown path, 405 for a known path's other methods, 403 when the
     * user's tags do not allow the route.
     */
    public CompletionStage<ApiResponse> dispatch(ApiRequest request) {
        String[] segments = split(request.path());
        for (Template template : templates) {
            Map<String, String> params = match(template.segments(), segments);
            if (params == null) {
                continue;
            }
            Route route = template.byMethod().get(request.method());
            if (route == null) {
                String allowed = String.join(", ", new TreeSet<>(template.byMethod().keySet().stream()
                        .map(HttpMethod::name).toList()));
                return done(ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        request.path() + " answers " + allowed + ", not " + request.method())
                        .withHeader("Allow", allowed));
            }
            String refusal = route.access() == Route.Access.PUBLIC ? null : refusal(route.access(), request.user());
            if (refusal != null) {
                return done(ApiException.forbidden(refusal).response());
            }
            return route.endpoint().handle(request.withParams(params));
        }
        return done(ApiResponse.error(HttpResponseStatus.NOT_FOUND, "not_found", "no endpoint at "
                + request.path()));
    }

    private static String refusal(Route.Access access, User user) {
        return switch (access) {
            case PUBLIC, MANAGEMENT -> null;
            case MONITORING -> user.seesAllVhosts() ? null : "user '" + user.name()
                    + "' needs the tag monitoring or administrator for this";
            case ADMINISTRATOR -> user.isAdministrator() ? null : "user '" + user.name()
                    + "' needs the tag administrator for this";
        };
    }

    /** The template's parameters, decoded, or null when the path does not match. */
    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), QueryStringDecoder.decodeComponent(path[i]));
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    /** Path segments without the leading slash; a trailing slash is ignored. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.split("/", -1);
    }

    private static CompletionStage<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
