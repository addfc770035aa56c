package io.ferrymq.testkit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process node as test classes get it, and its HTTP API over a real socket. */
class FerryBrokerExtensionIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension().withConfig("heartbeat", "5");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void listensOnFreeLoopbackPorts() throws IOException {
        assertThat(broker.amqpPort()).isPositive().isNotEqualTo(5672);
        assertThat(broker.httpPort()).isPositive().isNotEqualTo(15672);
        assertThat(broker.uri()).isEqualTo("amqp://guest:guest@127.0.0.1:" + broker.amqpPort());
        assertThat(broker.server().config().heartbeatSeconds()).isEqualTo(5);
        assertThat(broker.dataDir()).isDirectory();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), broker.amqpPort())) {
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void overviewListsBothListeners() throws Exception {
        HttpResponse<String> response = get("/api/overview", "guest", "guest");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"product_name\":\"FerryMQ\"")
                .contains("{\"protocol\":\"amqp\",\"port\":" + broker.amqpPort() + ",")
                .contains("{\"protocol\":\"http\",\"port\":" + broker.httpPort() + ",");
    }

    @Test
    void amqpAndTheHttpApiShowOneNodeName() throws Exception {
        String nodeName = broker.server().nodeName();
        assertThat(nodeName).startsWith("ferrymq@");

        assertThat(get("/api/overview", "guest", "guest").body()).contains("\"node\":\"" + nodeName + "\"");
        // connection.start, the broker's first frame, carries the name as the cluster_name server property
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), broker.amqpPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            DataInputStream in = new DataInputStream(client.getInputStream());
            assertThat(in.readUnsignedByte()).as("frame type").isEqualTo(1);
            assertThat(in.readUnsignedShort()).as("channel").isZero();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            // the field-table entry: shortstr key, 'S' (longstr), 4-octet length, the value
            byte[] value = nodeName.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            DataOutputStream entryOut = new DataOutputStream(entry);
            entryOut.writeByte("cluster_name".length());
            entryOut.writeBytes("cluster_name");
            entryOut.writeByte('S');
            entryOut.writeInt(value.length);
            entryOut.write(value);
            assertThat(new String(payload, StandardCharsets.ISO_8859_1))
                    .contains(entry.toString(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void alarmsCheckIsOkWithoutAlarms() throws Exception {
        HttpResponse<String> response = get("/api/health/checks/alarms", "guest", "guest");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void wrongPasswordIs401AndUnknownPathIs404() throws Exception {
        assertThat(get("/api/overview", "guest", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/nothing-here", "guest", "guest").statusCode()).isEqualTo(404);
    }

    @Nested
    class Restart {
        @Test
        void keepsTheDataDirectoryAndPorts() throws IOException {
            int amqpPort = broker.amqpPort();
            int httpPort = broker.httpPort();
            var dataDir = broker.dataDir();

            broker.restart();

            assertThat(broker.amqpPort()).isEqualTo(amqpPort);
            assertThat(broker.httpPort()).isEqualTo(httpPort);
            assertThat(broker.dataDir()).isEqualTo(dataDir);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), amqpPort)) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.httpPort() + path))
                .header("Authorization", "Basic " + credentials).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
