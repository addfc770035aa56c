package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/**
 * {@code ferry trace MESSAGE_ID}: a message's recorded life (published, routed, delivered, dead-lettered, ...) in
 * time order; {@code ferry trace on|off|status} switch tracing for a vhost or one queue.
 */
@Command(name = "trace", description = "Show a traced message's events by message id (or --correlation-id);"
        + " 'trace on|off [--queue Q]' and 'trace status' control tracing.",
        subcommands = {TraceCommand.On.class, TraceCommand.Off.class, TraceCommand.Status.class})
final class TraceCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MESSAGE_ID")
    String messageId;
    @Option(names = "--correlation-id", paramLabel = "ID")
    String correlationId;
    @Option(names = "--limit", paramLabel = "N", description = "At most N events.")
    Integer limit;

    @Override
    void run(ApiClient api, Output out) {
        if ((messageId == null) == (correlationId == null)) {
            throw new UsageFailure("give a MESSAGE_ID or --correlation-id (one of them)");
        }
        String query = messageId != null ? "message_id=" + enc(messageId) : "correlation_id=" + enc(correlationId);
        if (limit != null) {
            query += "&limit=" + limit;
        }
        JsonNode events = api.get("/api/trace/" + vhost() + "?" + query);
        print(out, events, List.of(Column.number("seq", "seq"),
                new Column("time", e -> e.has("timestamp") ? Instant.ofEpochMilli(e.path("timestamp").asLong())
                        .toString() : "", false),
                Column.of("event", "event"), Column.of("exchange", "exchange"),
                Column.of("routing_key", "routing_key"),
                new Column("queue", e -> e.has("queues") ? Column.text(e.path("queues")) : Column.text(e.path("queue")),
                        false),
                new Column("detail", TraceCommand::detail, false)));
        if (!options.json && events.isEmpty()) {
            out.progress("no trace events for " + query.replaceFirst("&.*", "").replace('=', ' ')
                    + " in vhost '" + options.vhost() + "' (is tracing on? 'ferry trace status')");
        }
    }

    /** The event's own fields: reason, attempt, consumer, connection, retry time. */
    static String detail(JsonNode event) {
        List<String> parts = new ArrayList<>();
        if (event.has("reason")) {
            parts.add("reason=" + event.path("reason").asText());
        }
        if (event.has("attempt")) {
            parts.add("attempt=" + event.path("attempt").asText());
        }
        if (event.has("consumer_tag")) {
            parts.add("consumer=" + event.path("consumer_tag").asText());
        }
        if (event.has("connection")) {
            parts.add("connection=" + event.path("connection").asText());
        }
        if (event.has("retry_at")) {
            parts.add("retry_at=" + Instant.ofEpochMilli(event.path("retry_at").asLong()));
        }
        return String.join(" ", parts);
    }

    /** Shared by on and off: the vhost's switch, or one queue's with --queue. */
    abstract static class Switch extends ApiCommand {
        @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "Only this queue.")
        String queue;

        abstract boolean enabled();

        @Override
        void run(ApiClient api, Output out) {
            String path = "/api/trace/" + vhost() + (queue == null ? "" : "/queues/" + enc(queue));
            api.put(path, Map.of("enabled", enabled()));
            done(out, "tracing " + (enabled() ? "on" : "off") + " for " + (queue == null ? "vhost '"
                    + options.vhost() + "'" : "queue '" + queue + "'"), api.get("/api/trace/" + vhost()));
        }
    }

    @Command(name = "on", description = "Record trace events for the vhost (or one --queue).")
    static final class On extends Switch {
        @Override
        boolean enabled() {
            return true;
        }
    }

    @Command(name = "off", description = "Stop recording trace events for the vhost (or one --queue).")
    static final class Off extends Switch {
        @Override
        boolean enabled() {
            return false;
        }
    }

    @Command(name = "status", description = "Whether the vhost is traced, and which queues are.")
    static final class Status extends ApiCommand {
        @Override
        void run(ApiClient api, Output out) {
            JsonNode status = api.get("/api/trace/" + vhost());
            done(out, "vhost '" + options.vhost() + "': tracing " + (status.path("enabled").asBoolean() ? "on"
                    : "off") + "; traced queues: " + (status.path("queues").isEmpty() ? "none"
                    : Column.text(status.path("queues"))), status);
        }
    }
}
