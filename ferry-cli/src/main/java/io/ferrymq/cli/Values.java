package io.ferrymq.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed values from the command line: {@code --arg x-max-length=10} must reach the API as the number 10, as
 * RabbitMQ's arguments are typed. Integers and {@code true}/{@code false} are converted; a value in double quotes
 * stays a string ({@code --arg 'x-name="10"'}).
 */
final class Values {
    private Values() {
    }

    static Map<String, Object> typed(Map<String, String> raw) {
        Map<String, Object> typed = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((key, value) -> typed.put(key, typed(value)));
        }
        return typed;
    }

    static Object typed(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        if (value.matches("-?\\d{1,18}")) {
            return Long.parseLong(value);
        }
        if (value.matches("-?\\d+\\.\\d+")) {
            return Double.parseDouble(value);
        }
        return value;
    }
}
