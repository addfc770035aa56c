package io.ferrymq.http;

import io.ferrymq.core.BrokerException;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletionException;

/** Turns what an endpoint failed with into the JSON error a client can act on; null for a bug. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static ApiResponse of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ApiException api) {
            return api.response();
        }
        if (cause instanceof BrokerException broker) {
            return of(broker);
        }
        return null;
    }

    /** The one mapping from the core's conditions to HTTP, with RabbitMQ's error words. */
    private static ApiResponse of(BrokerException e) {
        return switch (e.condition()) {
            case NOT_FOUND -> ApiResponse.error(HttpResponseStatus.NOT_FOUND, "not_found", e.getMessage());
            case ACCESS_REFUSED, NOT_ALLOWED -> ApiResponse.error(HttpResponseStatus.FORBIDDEN, "access_refused",
                    e.getMessage());
            case PRECONDITION_FAILED -> ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    e.getMessage());
            case RESOURCE_LOCKED -> ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "resource_locked",
                    e.getMessage());
            case COMMAND_INVALID, NOT_IMPLEMENTED -> ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    e.getMessage());
            case CONNECTION_FORCED -> ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                    e.getMessage());
            case INTERNAL_ERROR -> ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                    e.getMessage());
        };
    }
}
