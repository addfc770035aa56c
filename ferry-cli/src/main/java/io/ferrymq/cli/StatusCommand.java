package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code ferry status}: the node's overview (version, listeners, totals, message rates) and its alarms. */
@Command(name = "status", description = "Show the node's version, listeners, object and message totals, rates"
        + " and alarms.")
final class StatusCommand extends ApiCommand {

    @Override
    void run(ApiClient api, Output out) {
        JsonNode overview = api.get("/api/overview");
        JsonNode alarms = alarms(api);
        if (options.json) {
            ObjectNode both = overview.deepCopy();
            both.set("alarms", alarms);
            out.json(both);
            return;
        }
        List<String> listeners = new ArrayList<>();
        overview.path("listeners").forEach(l -> listeners.add(l.path("protocol").asText() + " "
                + l.path("port").asText()));
        JsonNode totals = overview.path("object_totals");
        JsonNode messages = overview.path("queue_totals");
        JsonNode stats = overview.path("message_stats");
        out.line(overview.path("product_name").asText("FerryMQ") + " " + overview.path("product_version").asText()
                + " on " + overview.path("node").asText());
        out.line("listeners  " + String.join(", ", listeners));
        out.line("objects    connections " + totals.path("connections").asLong() + ", channels "
                + totals.path("channels").asLong() + ", exchanges " + totals.path("exchanges").asLong()
                + ", queues " + totals.path("queues").asLong() + ", consumers " + totals.path("consumers").asLong());
        out.line("messages   " + messages.path("messages").asLong() + " (ready " + messages.path("messages_ready")
                .asLong() + ", unacked " + messages.path("messages_unacknowledged").asLong() + ")");
        out.line("rates/s    publish " + rate(stats, "publish") + ", deliver/get " + rate(stats, "deliver_get")
                + ", ack " + rate(stats, "ack") + ", redeliver " + rate(stats, "redeliver"));
        out.line("alarms     " + (alarms.path("status").asText().equals("ok") ? "none"
                : alarms.path("reason").asText("failed")));
    }

    private static String rate(JsonNode stats, String name) {
        return stats.path(name + "_details").path("rate").asText("0.0");
    }

    /** The alarms check answers 503 while an alarm is raised: that is a status to show, not a failure. */
    private static JsonNode alarms(ApiClient api) {
        try {
            return api.get("/api/health/checks/alarms");
        } catch (ApiFailure failure) {
            if (failure.status() != 503) {
                throw failure;
            }
            ObjectNode failed = ApiClient.JSON.createObjectNode();
            failed.put("status", "failed");
            failed.put("reason", failure.getMessage().replaceFirst("^503 ", ""));
            return failed;
        }
    }
}
