package io.ferrymq.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ferry server} as a real process: its ready line, exit codes and signals, through {@link ChildBroker}. The
 * children's output goes under the test's temporary directory; failed assertions print it.
 */
class FerryServerProcessIT {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void printsOneReadyLineWithTheBoundPortAndExits0OnSigterm() throws IOException {
        try (ChildBroker broker = ChildBroker.builder(dir.resolve("data")).outputDir(dir.resolve("out")).start()) {
            assertThat(broker.stdout().lines().filter(line -> line.contains(" ready: ")))
                    .singleElement().asString()
                    .matches("FerryMQ \\S+ ready: amqp://127\\.0\\.0\\.1:" + broker.amqpPort());
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), broker.amqpPort())) {
                assertThat(client.isConnected()).isTrue();
            }

            broker.terminate();

            assertThat(broker.waitFor(EXIT_WAIT)).as(broker.output()).isZero();
            assertThat(broker.stderr()).isEmpty();
            assertThat(broker.stdout()).contains("SIGTERM received").contains("stopped");
        }
    }

    @Test
    void boundToEveryInterfaceTheReadyLineShowsLocalhost() throws IOException {
        try (ChildBroker broker = ChildBroker.builder(dir.resolve("data")).outputDir(dir.resolve("out"))
                .withConfig("listeners.tcp.default", "0.0.0.0:0").start()) {
            assertThat(broker.stdout().lines().filter(line -> line.contains(" ready: ")))
                    .singleElement().asString()
                    .matches("FerryMQ \\S+ ready: amqp://localhost:" + broker.amqpPort());
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), broker.amqpPort())) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aTakenPortIsOneLineOnStderrAndExit1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ChildBroker broker = ChildBroker.builder(dir.resolve("data")).outputDir(dir.resolve("out"))
                     .withConfig("listeners.tcp.default", "127.0.0.1:" + taken.getLocalPort()).launch()) {

            assertThat(broker.waitFor(EXIT_WAIT)).as(broker.output()).isEqualTo(1);
            assertThat(broker.stderr()).isEqualTo("ferry: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use\n");
            assertThat(broker.stdout()).doesNotContain(" ready: ");
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsOneLineOnStderrAndExit1() throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");

        try (ChildBroker broker = ChildBroker.builder(file).outputDir(dir.resolve("out")).launch()) {
            assertThat(broker.waitFor(EXIT_WAIT)).as(broker.output()).isEqualTo(1);
            assertThat(broker.stderr()).isEqualTo("ferry: data directory " + file
                    + " is not a directory: choose another --data-dir\n");
        }
    }

    @Test
    void aSecondBrokerOnTheSameDataDirectoryExits1UntilTheFirstIsKilled() {
        Path data = dir.resolve("data");
        try (ChildBroker first = ChildBroker.builder(data).outputDir(dir.resolve("first")).start()) {
            try (ChildBroker second = ChildBroker.builder(data).outputDir(dir.resolve("second")).launch()) {
                assertThat(second.waitFor(EXIT_WAIT)).as(second.output()).isEqualTo(1);
                assertThat(second.stderr()).isEqualTo("ferry: data directory " + data
                        + " is in use by another FerryMQ (lock held)\n");
            }

            first.kill9();
            assertThat(first.isAlive()).isFalse();

            try (ChildBroker third = ChildBroker.builder(data).outputDir(dir.resolve("third")).start()) {
                assertThat(third.amqpPort()).isPositive();
            }
        }
    }
}
