package io.ferrymq.http;

/** Answers one route of the API. Runs on an HTTP event-loop thread, so it must not block. */
@FunctionalInterface
public interface Endpoint {

    ApiResponse handle(ApiRequest request);
}
