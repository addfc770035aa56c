package io.ferrymq.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code ferry <command>}: runs one command against a node's management API and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        var out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        var err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err, System.getenv()));
    }

    /**
     * Runs one command line as {@code ferry} would, printing to the given writers, with the given environment
     * variables (FERRY_USER, FERRY_PASSWORD); returns the exit code instead of exiting.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> environment) {
        return FerryCli.run(args, out, err, new Environment(environment));
    }
}
