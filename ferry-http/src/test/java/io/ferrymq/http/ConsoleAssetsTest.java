package io.ferrymq.http;

import io.ferrymq.common.Clock;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.LocalBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console's files over a real HTTP listener: served without credentials with the right content types and
 * headers, nothing else reachable however the path is spelled, and the API's login challenge left out for the
 * console's script requests.
 */
class ConsoleAssetsTest {
    private final LocalBroker broker = new LocalBroker(new BrokerConfig("admin", "secret", 1 << 20,
            BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE), Clock.system());
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        server = new HttpServer("127.0.0.1", 0, broker, broker, broker,
                new NodeInfo("1.2.3", "ferry@box", List.of(new Listener("amqp", 5672))));
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        broker.shutdown();
    }

    @Test
    void servesTheConsolePageAtTheRootWithoutCredentials() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>FerryMQ console</title>", "console.js", "chart.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'self'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(get("/index.html").body()).isEqualTo(page.body());
    }

    @Test
    void servesEachFileWithItsContentType() throws Exception {
        assertThat(get("/console.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/chart.js").body()).contains("class FerryChart");
        assertThat(get("/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @Test
    void everyListedFileIsInTheJar() {
        for (String file : ConsoleAssets.FILES) {
            assertThat(ConsoleAssets.class.getResource(ConsoleAssets.RESOURCE_DIR + file)).as(file).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/..%2Fpom.xml", "/%2e%2e%2fpom.xml", "/%2E%2E/%2E%2E/pom.xml",
            "/..%5Cpom.xml", "/io/ferrymq/http/console/index.html", "/io%2Fferrymq%2Fhttp%2FHttpServer.class",
            "/HttpServer.class", "/logback.xml", "/console.js%00.html", "/./console.js/", "//etc/passwd",
            "/%2Fetc%2Fpasswd", "/META-INF%2FMANIFEST.MF"})
    void reachesNoOtherFileHoweverThePathIsSpelled(String path) throws Exception {
        String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8))
                + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 404");
        assertThat(answer).doesNotContain("<project", "root:", "Manifest-Version", "<configuration");
    }

    @Test
    void theApiStillNeedsCredentialsAndMetricsStayPublic() throws Exception {
        HttpResponse<String> api = get("/api/overview");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"FerryMQ\"");
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aScriptRequestGetsNoLoginChallengeSoTheBrowserShowsNoDialog() throws Exception {
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(uri("/api/whoami"))
                .header("X-Requested-With", "XMLHttpRequest")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:wrong".getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(refused.body()).contains("not_authorized");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    /** A request sent byte for byte, so that no client normalises the path first. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
