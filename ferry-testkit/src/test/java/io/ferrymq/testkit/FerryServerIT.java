package io.ferrymq.testkit;

import io.ferrymq.server.FerryServer;
import io.ferrymq.server.ServerConfig;
import io.ferrymq.server.Setting;
import io.ferrymq.server.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FerryServer}'s lifecycle in-process: what a failed start leaves behind, and closing twice. */
class FerryServerIT {
    @TempDir
    Path dataDir;

    @Test
    void aTakenHttpPortStopsWhatHadStartedAndReleasesTheDataDirectory() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> FerryServer.start(config(taken.getLocalPort())))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }

        try (FerryServer server = FerryServer.start(config(0))) {
            assertThat(server.httpPort()).isPositive();
        }
    }

    @Test
    void closeStopsListeningAndMayBeRepeated() throws IOException {
        FerryServer server = FerryServer.start(config(0));
        int amqpPort = server.amqpPort();

        server.close();
        server.close();

        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), amqpPort).close())
                .isInstanceOf(IOException.class);
    }

    private ServerConfig config(int httpPort) {
        return ServerConfig.from(List.of(
                new Setting("listeners.tcp.default", "127.0.0.1:0", "test"),
                new Setting("management.tcp.ip", "127.0.0.1", "test"),
                new Setting("management.tcp.port", Integer.toString(httpPort), "test"),
                new Setting("data_dir", dataDir.toString(), "test")));
    }
}
