package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/**
 * {@code ferry redrive DLQ}: moves dead-lettered messages back, in batches so that a long redrive shows progress
 * and can be stopped between batches. Each batch is one {@code POST .../redrive} with a {@code limit}; the redrive
 * ends when a batch moves nothing or the {@code --limit} is reached. Skipped messages (no {@code x-death}, or their
 * queue is gone) stay in the DLQ; the count shown is the last batch's.
 */
@Command(name = "redrive", description = "Move dead-lettered messages from a queue back to where they died (or to"
        + " --exchange/--routing-key).")
final class RedriveCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "DLQ")
    String queue;
    @Option(names = {"-e", "--exchange"}, paramLabel = "EXCHANGE",
            description = "Publish to this exchange instead of each message's x-death queue.")
    String exchange;
    @Option(names = {"-k", "--routing-key"}, paramLabel = "KEY", description = "With --exchange: the routing key"
            + " (default: each message's own).")
    String routingKey;
    @Option(names = "--limit", paramLabel = "N", description = "Move at most N messages (default: all).")
    Long limit;
    @Option(names = "--reason", paramLabel = "REASON", description = "Only messages that died for this reason:"
            + " rejected, expired, maxlen or delivery_limit.")
    String reason;
    @Option(names = "--from-queue", paramLabel = "QUEUE", description = "Only messages that died in this queue.")
    String fromQueue;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
            description = "Messages per request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    void run(ApiClient api, Output out) {
        if (batch < 1 || (limit != null && limit < 1)) {
            throw new UsageFailure("--batch and --limit must be 1 or more");
        }
        if (routingKey != null && exchange == null) {
            throw new UsageFailure("--routing-key needs --exchange");
        }
        String path = "/api/queues/" + vhost() + "/" + enc(queue);
        long waiting = api.get(path).path("messages_ready").asLong();
        long total = limit == null ? waiting : Math.min(limit, waiting);
        long moved = 0;
        long skipped = 0;
        while (limit == null || moved < limit) {
            long size = limit == null ? batch : Math.min(batch, limit - moved);
            JsonNode answer = api.post(path + "/redrive", body(size));
            long movedNow = answer.path("moved").asLong();
            skipped = answer.path("skipped").asLong();
            moved += movedNow;
            if (movedNow > 0 && !options.json) {
                out.progress("redrive: moved " + moved + " of " + Math.max(total, moved));
            }
            if (movedNow == 0 || movedNow + skipped < size) {
                break;
            }
        }
        done(out, "moved " + moved + " message" + (moved == 1 ? "" : "s") + " out of '" + queue + "'"
                        + (skipped > 0 ? "; " + skipped + " skipped (no x-death, or their queue is gone)" : ""),
                ApiClient.JSON.createObjectNode().put("moved", moved).put("skipped", skipped));
    }

    private Map<String, Object> body(long size) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (exchange != null) {
            body.put("exchange", exchange);
        }
        if (routingKey != null) {
            body.put("routing_key", routingKey);
        }
        body.put("limit", size);
        Map<String, Object> filter = new LinkedHashMap<>();
        if (reason != null) {
            filter.put("reason", reason);
        }
        if (fromQueue != null) {
            filter.put("queue", fromQueue);
        }
        if (!filter.isEmpty()) {
            body.put("filter", filter);
        }
        return body;
    }
}
