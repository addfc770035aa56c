package io.ferrymq.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers one route of the API. Runs on an HTTP event-loop thread, so it must not block: work that waits for the
 * broker (a durable write) completes the stage later, on whatever thread finished it. An endpoint refuses a
 * request by throwing (or completing with) an {@link ApiException} or a core {@code BrokerException}.
 */
@FunctionalInterface
public interface Endpoint {

    CompletionStage<ApiResponse> handle(ApiRequest request);

    /** An endpoint that answers at once. */
    static Endpoint now(java.util.function.Function<ApiRequest, ApiResponse> answer) {
        return request -> CompletableFuture.completedFuture(answer.apply(request));
    }
}
