package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrymq.cli.Main;
import io.ferrymq.testkit.FerryBrokerExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the {@code ferry} CLI in-process against a test broker's HTTP port and keeps what it printed. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FerryBrokerExtension broker;
    private final Map<String, String> environment = new HashMap<>();

    Cli(FerryBrokerExtension broker) {
        this.broker = broker;
    }

    Cli withEnv(String name, String value) {
        Cli copy = new Cli(broker);
        copy.environment.putAll(environment);
        copy.environment.put(name, value);
        return copy;
    }

    /** Exit code, stdout and stderr of one command. */
    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        /** stdout's lines, for table assertions. */
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** The command with {@code --url} of the test broker added at the end. */
    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add("http://" + broker.host() + ":" + broker.httpPort());
        return raw(all.toArray(String[]::new));
    }

    /** The command exactly as given. */
    Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), environment);
        return new Run(code, out.toString(), err.toString());
    }
}
