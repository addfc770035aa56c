package io.ferrymq.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** Ordered JSON objects for answers whose keys must be exactly RabbitMQ's. Stateless. */
final class JsonMaps {
    private JsonMaps() {
    }

    /** An object from alternating keys and values, in that order; null values are kept (JSON null). */
    static Map<String, Object> obj(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
