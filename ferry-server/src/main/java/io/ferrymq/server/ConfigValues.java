package io.ferrymq.server;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the value types of {@code ferry.conf}. Each parser throws {@link IllegalArgumentException} whose message
 * says what was expected; {@link ConfigKeys} adds the key and where the value came from.
 */
final class ConfigValues {
    /** An optional host and a port: {@code 5672}, {@code 127.0.0.1:5672}, {@code [::1]:5672} or {@code :::5672}. */
    record HostPort(String host, int port) {
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    /** The units rabbitmq.conf accepts for memory sizes: k/M/G and kiB/MiB/GiB are powers of 1024, KB/MB/GB of 1000. */
    private static final Map<String, Long> SIZE_UNITS = Map.of(
            "", 1L,
            "k", 1L << 10, "kiB", 1L << 10, "KB", 1_000L,
            "M", 1L << 20, "MiB", 1L << 20, "MB", 1_000_000L,
            "G", 1L << 30, "GiB", 1L << 30, "GB", 1_000_000_000L);

    private ConfigValues() {
    }

    static int port(String value) {
        return intBetween(value, 0, 65535);
    }

    /** A bare port keeps the host null, meaning "leave the host as it is". */
    static HostPort listener(String value) {
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            return new HostPort(null, port(text));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected a port or host:port, such as 5672 or 127.0.0.1:5672");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host, port(text.substring(colon + 1)));
    }

    static int intBetween(String value, int min, int max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        return (int) parsed;
    }

    static double fraction(String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("expected a fraction from 0 to 1, such as 0.4");
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new IllegalArgumentException("expected a fraction from 0 to 1, such as 0.4");
        }
        return parsed;
    }

    /** Bytes, optionally with a unit: {@code 1073741824}, {@code 1024MiB}, {@code 2GB}. */
    static long bytes(String value) {
        Matcher matcher = SIZE.matcher(value.trim());
        Long unit = matcher.matches() ? SIZE_UNITS.get(matcher.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("expected a number of bytes with an optional unit"
                    + " (k, kiB, KB, M, MiB, MB, G, GiB, GB), such as 2GB");
        }
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("too large");
        }
    }

    static String nonEmpty(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value.trim();
    }

    static Path path(String value) {
        try {
            return Path.of(nonEmpty(value));
        } catch (InvalidPathException invalid) {
            throw new IllegalArgumentException("not a valid path: " + invalid.getReason());
        }
    }

    static LogLevel logLevel(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (LogLevel level : LogLevel.values()) {
            if (level.name().equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("expected one of debug, info, warning, error, critical, none");
    }
}
