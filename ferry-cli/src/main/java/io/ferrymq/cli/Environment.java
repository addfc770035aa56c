package io.ferrymq.cli;

import java.util.Map;

/** The environment variables the CLI reads; a map in tests, the process' environment otherwise. */
record Environment(Map<String, String> variables) {

    static Environment system() {
        return new Environment(System.getenv());
    }

    String get(String name, String fallback) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
