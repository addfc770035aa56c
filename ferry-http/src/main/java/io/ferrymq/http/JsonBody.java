package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request's JSON object with forgiving getters: RabbitMQ's own clients (rabbitmqadmin) send booleans and numbers
 * as strings ({@code "durable": "true"}, {@code "count": "1"}), so both forms are read. Immutable.
 */
final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;

    /** A JSON object already parsed (an element of a definitions file). */
    JsonBody(JsonNode root) {
        this.root = root;
    }

    /** The request's body as an object; an empty body is an empty object. */
    static JsonBody of(ApiRequest request) {
        if (request.body().length == 0) {
            return new JsonBody(JSON.createObjectNode());
        }
        try {
            JsonNode node = JSON.readTree(request.body());
            if (!(node instanceof ObjectNode)) {
                throw ApiException.badRequest("the request body must be a JSON object");
            }
            return new JsonBody(node);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getMessage());
        }
    }

    JsonNode node(String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? MissingNode.getInstance() : node;
    }

    boolean has(String name) {
        return !node(name).isMissingNode();
    }

    String string(String name, String fallback) {
        JsonNode node = node(name);
        return node.isMissingNode() ? fallback : node.asText();
    }

    /** @throws ApiException 400 naming the key when it is missing */
    String required(String name) {
        String value = string(name, null);
        if (value == null) {
            throw ApiException.badRequest("key '" + name + "' is missing from the request body");
        }
        return value;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode node = node(name);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.asText();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw ApiException.badRequest("key '" + name + "' must be true or false, not " + node);
    }

    int integer(String name, int fallback) {
        JsonNode node = node(name);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.canConvertToInt() && node.isIntegralNumber()) {
            return node.intValue();
        }
        try {
            return Integer.parseInt(node.asText());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("key '" + name + "' must be an integer, not " + node);
        }
    }

    /** An object of arguments (queue, exchange or binding arguments; message headers) as core values. */
    Map<String, Object> table(String name) {
        JsonNode node = node(name);
        if (node.isMissingNode()) {
            return Map.of();
        }
        if (node.isTextual() && node.asText().isEmpty()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("key '" + name + "' must be a JSON object, not " + node);
        }
        return JsonValues.table(node);
    }

    /** Tags as RabbitMQ accepts them: a comma-separated string or a list of strings. */
    List<String> tags(String name) {
        JsonNode node = node(name);
        List<String> tags = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(tag -> tags.add(tag.asText().trim()));
        } else if (!node.isMissingNode()) {
            for (String tag : node.asText().split(",")) {
                tags.add(tag.trim());
            }
        }
        tags.removeIf(String::isEmpty);
        return tags;
    }
}
