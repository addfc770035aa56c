package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/**
 * {@code ferry get QUEUE}: looks at messages. By default they go back to the queue (a peek); {@code --ack} takes
 * them away. The death column shows a dead-lettered message's latest {@code x-death} entry.
 */
@Command(name = "get", description = "Get messages from a queue; they are requeued unless --ack is given.")
final class GetCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;
    @Option(names = {"-n", "--count"}, defaultValue = "1", description = "How many (default: ${DEFAULT-VALUE}).")
    int count;
    @Option(names = "--ack", description = "Remove the messages from the queue (ackmode ack_requeue_false).")
    boolean ack;
    @Option(names = "--truncate", paramLabel = "BYTES", defaultValue = "200",
            description = "Show at most this much of each body (default: ${DEFAULT-VALUE}).")
    int truncate;

    @Override
    void run(ApiClient api, Output out) {
        if (count < 1) {
            throw new UsageFailure("--count must be 1 or more, not " + count);
        }
        JsonNode messages = api.post("/api/queues/" + vhost() + "/" + enc(queue) + "/get", Map.of("count", count,
                "ackmode", ack ? "ack_requeue_false" : "ack_requeue_true", "encoding", "auto",
                "truncate", truncate));
        print(out, messages, List.of(
                Column.of("exchange", "exchange"), Column.of("routing_key", "routing_key"),
                Column.of("message_id", "properties/message_id"), Column.of("redelivered", "redelivered"),
                new Column("death", GetCommand::death, false),
                Column.number("bytes", "payload_bytes"), Column.of("payload", "payload")));
        if (!options.json && messages.isEmpty()) {
            out.progress("queue '" + queue + "' is empty");
        }
    }

    /** "reason from queue (count)" of the latest x-death entry, which RabbitMQ puts first. */
    static String death(JsonNode message) {
        JsonNode deaths = message.path("properties").path("headers").path("x-death");
        if (!deaths.isArray() || deaths.isEmpty()) {
            return "";
        }
        JsonNode latest = deaths.get(0);
        return latest.path("reason").asText() + " from " + latest.path("queue").asText() + " (x"
                + latest.path("count").asText("1") + ")";
    }
}
