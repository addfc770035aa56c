package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** A command that calls the management API: the common options, the client and the output. */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    ApiOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        FerryCli root = (FerryCli) spec.root().userObject();
        run(options.client(root.environment), root.output);
        return FerryCli.OK;
    }

    abstract void run(ApiClient api, Output out);

    /** The vhost option as a path segment. */
    String vhost() {
        return ApiClient.enc(options.vhost());
    }

    /** The API's answer as JSON with {@code --json}, else as a table. */
    void print(Output out, JsonNode rows, List<Column> columns) {
        if (options.json) {
            out.json(rows);
        } else {
            out.table(columns, rows);
        }
    }

    /** A one-line confirmation, or with {@code --json} the given JSON. */
    void done(Output out, String line, JsonNode json) {
        if (options.json) {
            out.json(json);
        } else {
            out.line(line);
        }
    }
}
