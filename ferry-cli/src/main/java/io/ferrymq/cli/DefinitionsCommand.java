package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ferry definitions export|import}: the node's (or one vhost's) topology as RabbitMQ's definitions JSON. */
@Command(name = "definitions", description = "Export or import definitions (users, vhosts, permissions, policies,"
        + " exchanges, queues, bindings) in RabbitMQ's JSON format.",
        subcommands = {DefinitionsCommand.Export.class, DefinitionsCommand.Import.class})
final class DefinitionsCommand {
    /** In the order an import needs them: a binding needs its exchange and queue, a permission its user. */
    static final List<String> SECTIONS = List.of("vhosts", "users", "permissions", "policies", "exchanges", "queues",
            "bindings");
    /** The API takes request bodies up to 64 KiB; each import request stays well under. */
    static final int MAX_REQUEST_BYTES = 32 * 1024;

    private static String path(ApiOptions options) {
        return options.vhostGiven() ? "/api/definitions/" + ApiClient.enc(options.vhost()) : "/api/definitions";
    }

    @Command(name = "export", description = "Write the definitions to FILE (default: stdout).")
    static final class Export extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE")
        Path file;

        @Override
        void run(ApiClient api, Output out) {
            JsonNode definitions = api.get(path(options));
            if (file == null) {
                out.json(definitions);
                return;
            }
            try {
                Files.write(file, ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(definitions));
            } catch (IOException e) {
                throw new UsageFailure("cannot write " + file + ": " + e.getMessage());
            }
            List<String> counts = new ArrayList<>();
            for (String section : SECTIONS) {
                if (definitions.has(section)) {
                    counts.add(definitions.path(section).size() + " " + section);
                }
            }
            out.line("exported " + String.join(", ", counts) + " to " + file);
        }
    }

    @Command(name = "import", description = "Declare everything in FILE ('-' for stdin), in batches, with progress.")
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        void run(ApiClient api, Output out) {
            JsonNode definitions = read();
            List<ObjectNode> batches = batches(definitions);
            int total = 0;
            for (String section : SECTIONS) {
                total += definitions.path(section).size();
            }
            int done = 0;
            for (ObjectNode batch : batches) {
                api.post(path(options), batch);
                String section = batch.fieldNames().next();
                done += batch.path(section).size();
                out.progress("definitions import: " + done + " of " + total + " (" + section + ")");
            }
            done(out, "imported " + total + " definitions from " + file,
                    ApiClient.JSON.createObjectNode().put("imported", total));
        }

        private JsonNode read() {
            JsonNode definitions;
            try {
                byte[] bytes = file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
                definitions = ApiClient.JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UsageFailure("cannot read definitions from " + file + ": " + e.getMessage());
            }
            if (definitions == null || !definitions.isObject()) {
                throw new UsageFailure(file + " is not a definitions file: expected a JSON object");
            }
            return definitions;
        }
    }

    /** One section per batch, each batch under {@link #MAX_REQUEST_BYTES} (an object larger alone goes alone). */
    static List<ObjectNode> batches(JsonNode definitions) {
        List<ObjectNode> batches = new ArrayList<>();
        for (String section : SECTIONS) {
            ArrayNode current = null;
            int bytes = 0;
            for (JsonNode item : definitions.path(section)) {
                int size = item.toString().length() + 1;
                if (current == null || bytes + size > MAX_REQUEST_BYTES) {
                    ObjectNode batch = ApiClient.JSON.createObjectNode();
                    current = batch.putArray(section);
                    batches.add(batch);
                    bytes = 0;
                }
                current.add(item);
                bytes += size;
            }
        }
        return batches;
    }
}
