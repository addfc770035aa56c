package io.ferrymq.amqp.codec;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns records, maps, lists and byte arrays into a form whose {@code equals} compares contents: records and
 * maps compare with nested byte arrays as hex, so decoded values can be compared with the originals.
 */
final class Normalized {
    private Normalized() {
    }

    /** A byte array by content. */
    record Bytes(String hex) {
    }

    static Object of(Object value) {
        if (value instanceof byte[] bytes) {
            return new Bytes(HexFormat.of().formatHex(bytes));
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> normalized = new LinkedHashMap<>();
            map.forEach((k, v) -> normalized.put(k, of(v)));
            return normalized;
        } else if (value instanceof List<?> list) {
            List<Object> normalized = new ArrayList<>();
            list.forEach(v -> normalized.add(of(v)));
            return normalized;
        } else if (value instanceof Record record) {
            List<Object> normalized = new ArrayList<>();
            normalized.add(record.getClass().getSimpleName());
            for (var component : record.getClass().getRecordComponents()) {
                try {
                    normalized.add(of(component.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return normalized;
        }
        return value;
    }
}
