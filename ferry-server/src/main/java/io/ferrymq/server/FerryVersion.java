package io.ferrymq.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The product version, which Maven writes into {@code ferry-version.properties} when it builds this module. */
public final class FerryVersion {
    private static final String RESOURCE = "/ferry-version.properties";

    private FerryVersion() {
    }

    public static String current() {
        try (InputStream in = FerryVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: rebuild ferry-server");
            }
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read " + RESOURCE, unreadable);
        }
    }
}
