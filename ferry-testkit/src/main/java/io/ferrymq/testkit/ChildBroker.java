package io.ferrymq.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FerryMQ node in a child JVM, for tests that must kill the broker for real ({@code kill -9}) or check how the
 * {@code ferry server} process behaves (its ready line, exit codes, signals). The child runs
 * {@code io.ferrymq.server.Main server} from this JVM's classpath on free ports on 127.0.0.1; its stdout and stderr
 * go to files, so a test can read them and a chatty child can never block on a full pipe.
 * <p>
 * Never leaves a process behind: {@link #close()} kills a child that is still running, and a shutdown hook does
 * the same if the test JVM exits first. Used from one test thread.
 */
public final class ChildBroker implements AutoCloseable {
    /** The line {@code ferry server} prints once it listens; group 1 is the bound AMQP port. */
    private static final Pattern READY_LINE = Pattern.compile("(?m)^FerryMQ \\S+ ready: amqp://.+:(\\d+)$");
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Duration readyTimeout;
    private final Thread killOnExit;
    private int amqpPort;

    private ChildBroker(Process process, Path stdout, Path stderr, Duration readyTimeout) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.readyTimeout = readyTimeout;
        this.killOnExit = new Thread(process::destroyForcibly, "ferry-child-" + process.pid() + "-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** A node on {@code dataDir} with default settings, started and ready. */
    public static ChildBroker start(Path dataDir) {
        return builder(dataDir).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Waits for the ready line and returns the bound AMQP port.
     *
     * @throws IllegalStateException if the child exits first or is not ready within the builder's timeout; the
     *                               message carries the child's output
     */
    public int awaitReady() {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (amqpPort == 0) {
            Matcher ready = READY_LINE.matcher(read(stdout));
            if (ready.find()) {
                amqpPort = Integer.parseInt(ready.group(1));
            } else if (!process.isAlive()) {
                throw new IllegalStateException("the child broker exited with " + process.exitValue()
                        + " before it was ready; its output:\n" + output());
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the child broker was not ready within " + readyTimeout
                        + "; its output:\n" + output());
            } else {
                pause();
            }
        }
        return amqpPort;
    }

    /** The AMQP port the child bound; only known once it is ready. */
    public int amqpPort() {
        if (amqpPort == 0) {
            throw new IllegalStateException("the child broker is not ready yet: call awaitReady() first");
        }
        return amqpPort;
    }

    public String host() {
        return "127.0.0.1";
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the broker gets no chance to clean up, as in a crash or power cut. Returns once it is gone. */
    public void kill9() {
        process.destroyForcibly();
        waitFor(KILL_WAIT);
    }

    /** SIGTERM: asks the broker to stop cleanly; {@link #waitFor} tells how it went. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Waits for the child to exit and returns its exit code.
     *
     * @throws IllegalStateException if it is still running after {@code timeout}
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the child broker (pid " + pid() + ") still runs after " + timeout
                        + "; its output:\n" + output());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child broker", interrupted);
        }
        return process.exitValue();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Everything the child wrote so far: stdout, then stderr. */
    public String output() {
        return "--- stdout (" + stdout + ")\n" + stdout() + "--- stderr (" + stderr + ")\n" + stderr();
    }

    /** Kills the child if it still runs. The output files stay for diagnosis. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException jvmShuttingDown) {
            // The hook is running or about to; it kills a process that is already gone, which is harmless.
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read the child broker's output " + file, unreadable);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child broker", interrupted);
        }
    }

    /** Settings for the child; {@link #launch()} or {@link #start()} runs it. */
    public static final class Builder {
        private final Path dataDir;
        private final Map<String, String> settings = new LinkedHashMap<>();
        /** A small heap keeps several children cheap on a CI machine; serial GC suits a small heap on few cores. */
        private List<String> jvmArgs = List.of("-Xmx256m", "-XX:+UseSerialGC");
        private Duration readyTimeout = Duration.ofSeconds(30);
        private Path outputDir;

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath();
        }

        /** A {@code ferry.conf} key; applied after the testkit's own settings, so it may override the ports. */
        public Builder withConfig(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Replaces the default JVM options ({@code -Xmx256m -XX:+UseSerialGC}). */
        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs = List.copyOf(jvmArgs);
            return this;
        }

        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        /** Where the child's config file, stdout and stderr go (default: a new temporary directory). */
        public Builder outputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        /** Launches the child and returns at once, for tests that expect it to fail or want to time its start. */
        public ChildBroker launch() {
            try {
                Path dir = outputDir != null ? Files.createDirectories(outputDir)
                        : Files.createTempDirectory("ferry-child-");
                Path config = Files.writeString(dir.resolve("ferry.conf"), configText(), StandardCharsets.UTF_8);
                Path stdout = dir.resolve("stdout.log");
                Path stderr = dir.resolve("stderr.log");
                var command = new ArrayList<String>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmArgs);
                // Under Surefire/Failsafe this may be a manifest-only jar; java follows its Class-Path all the same.
                command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                        "io.ferrymq.server.Main", "server", "--config", config.toString()));
                var builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
                // The environment outranks the config file; the test's settings must not lose to the test
                // machine's FERRY_* variables.
                builder.environment().keySet().removeIf(name -> name.startsWith("FERRY_"));
                return new ChildBroker(builder.start(), stdout, stderr, readyTimeout);
            } catch (IOException failed) {
                throw new UncheckedIOException("cannot launch a child broker", failed);
            }
        }

        /** Launches the child and waits until it is ready; kills it again if it never gets there. */
        public ChildBroker start() {
            ChildBroker child = launch();
            try {
                child.awaitReady();
                return child;
            } catch (RuntimeException notReady) {
                child.close();
                throw notReady;
            }
        }

        private String configText() {
            var config = new LinkedHashMap<String, String>();
            config.put("listeners.tcp.default", "127.0.0.1:0");
            config.put("management.tcp.ip", "127.0.0.1");
            config.put("management.tcp.port", "0");
            config.put("data_dir", dataDir.toString());
            config.putAll(settings);
            var text = new StringBuilder("# written by ChildBroker\n");
            config.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
            return text.toString();
        }
    }
}
