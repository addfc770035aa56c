package io.ferrymq.testkit;

import io.ferrymq.server.FerryServer;
import io.ferrymq.server.ServerConfig;
import io.ferrymq.server.Setting;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an in-process FerryMQ node for a test class: free ports on 127.0.0.1, a fresh temporary data directory,
 * stopped and deleted after the class. Register it on a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final FerryBrokerExtension broker = new FerryBrokerExtension().withConfig("max_message_size", "1024");
 * }</pre>
 * {@link #withConfig} takes the keys of {@code ferry.conf} (docs/CONFIGURATION.md). Nested test classes share
 * the outer class's node. Methods are called from the JUnit thread.
 */
public final class FerryBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private static final String HOST = "127.0.0.1";
    private static final String ORIGIN = "FerryBrokerExtension";

    private final Map<String, String> settings = new LinkedHashMap<>();
    private Path dataDir;
    private FerryServer server;
    /** How many test classes (an outer one and its nested ones) are using the node; it stops at zero. */
    private int users;

    /**
     * Sets a {@code ferry.conf} key for the node; applied after the testkit's own settings, so it may override the
     * ports or the data directory too.
     *
     * @throws IllegalStateException once the node has started
     */
    public synchronized FerryBrokerExtension withConfig(String key, String value) {
        if (server != null) {
            throw new IllegalStateException("withConfig(\"" + key + "\", ...) after the broker started: call it"
                    + " where the extension is created");
        }
        settings.put(key, value);
        return this;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (users++ > 0) {
            return;
        }
        dataDir = Files.createTempDirectory("ferry-test-data-");
        server = FerryServer.start(config(0, 0));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        if (--users > 0) {
            return;
        }
        try {
            if (server != null) { // null when a restart() failed to start the new node
                server.close();
            }
        } finally {
            server = null;
            TempFiles.deleteRecursively(dataDir);
        }
    }

    /**
     * Stops the node and starts a new one on the same data directory and the same ports, so that clients can
     * reconnect with the same URI. Connections open at the time are closed with CONNECTION_FORCED.
     */
    public synchronized void restart() {
        FerryServer running = running();
        int amqpPort = running.amqpPort();
        int httpPort = running.httpPort();
        running.close();
        server = null;
        server = FerryServer.start(config(amqpPort, httpPort));
    }

    public synchronized FerryServer server() {
        return running();
    }

    public String host() {
        return HOST;
    }

    public synchronized int amqpPort() {
        return running().amqpPort();
    }

    public synchronized int httpPort() {
        return running().httpPort();
    }

    public synchronized Path dataDir() {
        running();
        return dataDir;
    }

    /** {@code amqp://user:pass@127.0.0.1:port} with the node's default user, for {@code ConnectionFactory.setUri}. */
    public synchronized String uri() {
        ServerConfig config = running().config();
        return "amqp://" + UriText.userInfo(config.defaultUser()) + ":" + UriText.userInfo(config.defaultPass())
                + "@" + HOST + ":" + running().amqpPort();
    }

    private ServerConfig config(int amqpPort, int httpPort) {
        List<Setting> all = new ArrayList<>();
        all.add(new Setting("listeners.tcp.default", HOST + ":" + amqpPort, ORIGIN));
        all.add(new Setting("management.tcp.ip", HOST, ORIGIN));
        all.add(new Setting("management.tcp.port", Integer.toString(httpPort), ORIGIN));
        all.add(new Setting("data_dir", dataDir.toString(), ORIGIN));
        settings.forEach((key, value) -> all.add(new Setting(key, value, ORIGIN + ".withConfig")));
        return ServerConfig.from(all);
    }

    private FerryServer running() {
        if (server == null) {
            throw new IllegalStateException("the broker is not running: register FerryBrokerExtension on a static"
                    + " field annotated @RegisterExtension, and use it inside the test class");
        }
        return server;
    }
}
