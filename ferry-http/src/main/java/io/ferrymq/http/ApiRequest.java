package io.ferrymq.http;

import io.ferrymq.core.auth.User;
import io.netty.handler.codec.http.HttpMethod;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * An authenticated request as an {@link Endpoint} sees it.
 *
 * @param path         the raw path without the query string (segments still percent-encoded)
 * @param params       the route's {@code {name}} segments, decoded ({@code %2F} is {@code /})
 * @param query        the decoded query parameters
 * @param headers      the request's headers, by lower-case name
 * @param body         the request body, empty when there was none
 * @param user         the broker user the request was authenticated as (null on a public route)
 * @param localAddress the address the request arrived on, so that an endpoint can report the HTTP listener
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> params,
                         Map<String, List<String>> query, Map<String, String> headers, byte[] body, User user,
                         InetSocketAddress localAddress) {

    public ApiRequest {
        params = Map.copyOf(params);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A decoded path parameter of the route. */
    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route of " + path + " has no {" + name + "}");
        }
        return value;
    }

    /** The first value of a query parameter, or {@code fallback}. */
    public String query(String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    /** A header's value, or {@code fallback}. */
    public String header(String name, String fallback) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), fallback);
    }

    /** The same request with the route's parameters filled in. */
    ApiRequest withParams(Map<String, String> routeParams) {
        return new ApiRequest(method, path, routeParams, query, headers, body, user, localAddress);
    }
}
