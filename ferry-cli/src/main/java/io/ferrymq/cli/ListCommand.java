package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ferry list <kind>}: one of the API's lists as a table, every vhost's unless {@code --vhost} is given. */
@Command(name = "list", description = "List queues, exchanges, bindings, connections, channels, consumers, users,"
        + " vhosts, permissions or policies.")
final class ListCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "KIND", description = "One of: ${COMPLETION-CANDIDATES}.")
    Listing kind;

    @Override
    void run(ApiClient api, Output out) {
        JsonNode rows;
        if (!options.vhostGiven()) {
            rows = api.get(kind.allPath);
        } else if (kind.vhostPath != null) {
            rows = api.get(kind.vhostPath.formatted(vhost()));
        } else {
            rows = onlyVhost(api.get(kind.allPath));
        }
        print(out, rows, kind.columns);
    }

    /** Lists the API gives only for all vhosts (connections, channels) filtered to the one asked for. */
    private JsonNode onlyVhost(JsonNode rows) {
        if (kind == Listing.users || kind == Listing.vhosts) {
            return rows;
        }
        ArrayNode kept = ApiClient.JSON.createArrayNode();
        rows.forEach(row -> {
            if (row.path("vhost").asText().equals(options.vhost())) {
                kept.add(row);
            }
        });
        return kept;
    }
}
