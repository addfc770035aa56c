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
        System.exit(FerryCli.run(args, out, err, Environment.system()));
    }
}
