package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Function;

/**
 * One column of a table: its header and how a row's JSON object gives its cell. Numbers are right-aligned.
 */
record Column(String header, Function<JsonNode, String> cell, boolean numeric) {

    /** The field at a slash-separated path ({@code queue/name}); lists are joined with commas. */
    static Column of(String header, String path) {
        return new Column(header, row -> text(at(row, path)), false);
    }

    static Column number(String header, String path) {
        return new Column(header, row -> text(at(row, path)), true);
    }

    static JsonNode at(JsonNode row, String path) {
        JsonNode node = row;
        for (String part : path.split("/")) {
            node = node.path(part);
        }
        return node;
    }

    static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (node.isArray()) {
            var parts = new java.util.ArrayList<String>();
            node.forEach(element -> parts.add(text(element)));
            return String.join(",", parts);
        }
        if (node.isObject()) {
            return node.isEmpty() ? "" : node.toString();
        }
        return node.asText();
    }
}
