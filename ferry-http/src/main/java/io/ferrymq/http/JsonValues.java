package io.ferrymq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferrymq.common.message.LongString;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the core's field values (arguments, headers) and JSON. Out: long strings as text, byte arrays
 * as base64, timestamps as epoch seconds. In: integral numbers as Long (the width AMQP clients use for
 * arguments), strings as String, objects and arrays recursively. Stateless.
 */
final class JsonValues {
    private JsonValues() {
    }

    /** A table ready for Jackson. */
    static Map<String, Object> json(Map<String, Object> table) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (table != null) {
            table.forEach((key, value) -> out.put(key, json(value)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Object json(Object value) {
        if (value instanceof LongString s) {
            return s.toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Instant t) {
            return t.getEpochSecond();
        }
        if (value instanceof Map<?, ?> map) {
            return json((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(json(item)));
            return out;
        }
        return value;
    }

    static Map<String, Object> table(JsonNode object) {
        Map<String, Object> table = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> table.put(field.getKey(), value(field.getValue())));
        return table;
    }

    static Object value(JsonNode node) {
        if (node.isObject()) {
            return table(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isNull()) {
            return null;
        }
        return node.asText();
    }
}
