package io.ferrymq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where a command prints: results to stdout (a table, a line, or the API's JSON with {@code --json}), progress and
 * errors to stderr, so that {@code ferry ... --json | jq} gets only JSON.
 */
final class Output {
    private final PrintWriter out;
    private final PrintWriter err;

    Output(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    void json(JsonNode node) {
        try {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    void table(List<Column> columns, JsonNode rows) {
        Table.print(out, columns, rows);
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A progress line on stderr: never mixed into results. */
    void progress(String text) {
        err.println(text);
        err.flush();
    }
}
