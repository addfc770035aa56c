package io.ferrymq.server;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ferry server}: runs a node in the foreground until SIGTERM or SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"Runs a FerryMQ node in the foreground until SIGTERM or SIGINT (Ctrl-C).",
                "Options override environment variables, which override the config file; see docs/CONFIGURATION.md."})
final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    // Options stay strings so that bad values are reported by the same checks, and in the same words, as ferry.conf.
    @Option(names = "--amqp-port", paramLabel = "N", description = "AMQP port (default 5672; 0 picks a free one)")
    private String amqpPort;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP API port (default 15672; 0 picks a free one)")
    private String httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default ./data)")
    private String dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "config file (default $FERRY_CONFIG, else ./ferry.conf if present)")
    private Path configFile;

    private final Map<String, String> environment;
    private final PrintStream out;

    ServerCommand(Map<String, String> environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    @Override
    public Integer call() throws InterruptedException {
        // Installed before starting, so that a signal during startup still stops the node cleanly.
        try (ShutdownSignals signals = ShutdownSignals.install()) {
            ServerConfig config = new ConfigLoader(environment, Path.of("ferry.conf")).load(configFile, options());
            applyLogLevel(config.logLevel());
            FerryServer server = FerryServer.start(config);
            // Covers exits that bypass the signal handlers (SIGHUP, System.exit elsewhere); close() is idempotent.
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ferry-shutdown-hook"));
            // a wildcard bind address is no address to connect to: the line shows localhost then
            out.println("FerryMQ " + FerryVersion.current() + " ready: amqp://"
                    + HostNames.forUrl(HostNames.connectable(config.amqpHost())) + ":" + server.amqpPort());
            out.flush();
            log.info("{} received", signals.await());
            server.close();
            return 0;
        }
    }

    private List<Setting> options() {
        var options = new ArrayList<Setting>();
        addOption(options, "--amqp-port", "listeners.tcp.default", amqpPort);
        addOption(options, "--http-port", "management.tcp.port", httpPort);
        addOption(options, "--data-dir", "data_dir", dataDir);
        return options;
    }

    private static void addOption(List<Setting> options, String option, String key, String value) {
        if (value != null) {
            options.add(new Setting(key, value, "option " + option));
        }
    }

    /** Only the process that owns the JVM sets the global log level; an in-process node (tests) leaves it alone. */
    private static void applyLogLevel(LogLevel level) {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.logbackLevel()));
    }
}
