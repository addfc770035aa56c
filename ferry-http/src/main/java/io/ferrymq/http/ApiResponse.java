package io.ferrymq.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * What an endpoint answers: a status, a body that is written as JSON and extra headers.
 *
 * @param body any value Jackson can write, or null for no body, or {@link Raw} bytes; property names come out in
 *             snake_case as in RabbitMQ's API
 */
public record ApiResponse(HttpResponseStatus status, Object body, Map<String, String> headers) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body, Map.of());
    }

    /** 201 without a body: a PUT or POST created the resource. */
    public static ApiResponse created() {
        return new ApiResponse(HttpResponseStatus.CREATED, null, Map.of());
    }

    /** 204 without a body: a PUT updated, or a DELETE removed, the resource. */
    public static ApiResponse noContent() {
        return new ApiResponse(HttpResponseStatus.NO_CONTENT, null, Map.of());
    }

    /** An error in RabbitMQ's shape: {@code {"error": "...", "reason": "..."}}. */
    public static ApiResponse error(HttpResponseStatus status, String error, String reason) {
        return new ApiResponse(status, new ApiError(error, reason), Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        var merged = new HashMap<>(headers);
        merged.put(name, value);
        return new ApiResponse(status, body, merged);
    }

    /** A body written as it is, not as JSON (Prometheus' text format). */
    public record Raw(String contentType, byte[] bytes) {
    }

    /** The body of every error response. */
    public record ApiError(String error, String reason) {
    }
}
