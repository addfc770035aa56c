package io.ferrymq.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One entry of the {@link Router}: requests with this method whose path matches the template go to the endpoint.
 *
 * @param template a path such as {@code /api/queues/{vhost}/{name}}: each {@code {name}} matches one segment
 * @param access   which users may call it at all (finer checks, per vhost, are the endpoint's)
 */
public record Route(HttpMethod method, String template, Access access, Endpoint endpoint) {

    /** Which users may use a route, by tag (as RabbitMQ's management API). */
    public enum Access {
        /** Anyone, without credentials: only for {@code /metrics}. */
        PUBLIC,
        /** Every user allowed into the API (tags management, policymaker, monitoring or administrator). */
        MANAGEMENT,
        /** Users that see the whole node: monitoring or administrator. */
        MONITORING,
        /** Administrators only: users, vhosts, permissions, definitions. */
        ADMINISTRATOR
    }

    public static Route get(String template, Access access, Endpoint endpoint) {
        return new Route(HttpMethod.GET, template, access, endpoint);
    }

    public static Route put(String template, Access access, Endpoint endpoint) {
        return new Route(HttpMethod.PUT, template, access, endpoint);
    }

    public static Route post(String template, Access access, Endpoint endpoint) {
        return new Route(HttpMethod.POST, template, access, endpoint);
    }

    public static Route delete(String template, Access access, Endpoint endpoint) {
        return new Route(HttpMethod.DELETE, template, access, endpoint);
    }
}
