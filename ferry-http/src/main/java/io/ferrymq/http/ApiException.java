package io.ferrymq.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A refused request: the status and RabbitMQ-style error and reason of the JSON answer. No stack trace. */
public final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;
    private final String error;

    public ApiException(HttpResponseStatus status, String error, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", reason);
    }

    public static ApiException forbidden(String reason) {
        return new ApiException(HttpResponseStatus.FORBIDDEN, "access_refused", reason);
    }

    public ApiResponse response() {
        return ApiResponse.error(status, error, getMessage());
    }
}
