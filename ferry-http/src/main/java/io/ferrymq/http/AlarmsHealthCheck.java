package io.ferrymq.http;

import io.ferrymq.core.AlarmListener;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/health/checks/alarms}: 200 while no resource alarm blocks publishers, 503 with the alarm's reason
 * while one does, as RabbitMQ's check of the same name. Learns the state as the broker's {@link AlarmListener};
 * written by the broker's alarm thread, read by event loops, hence the volatile field.
 */
final class AlarmsHealthCheck implements Endpoint, AlarmListener {
    private volatile String alarmReason;

    @Override
    public void blocked(String reason) {
        alarmReason = reason;
    }

    @Override
    public void unblocked() {
        alarmReason = null;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String reason = alarmReason;
        if (reason == null) {
            return CompletableFuture.completedFuture(ApiResponse.ok(new Health("ok", null)));
        }
        return CompletableFuture.completedFuture(new ApiResponse(HttpResponseStatus.SERVICE_UNAVAILABLE,
                new Health("failed", reason), Map.of()));
    }

    /** {@code reason} is left out of the JSON while it is null. */
    record Health(String status, String reason) {
    }
}
