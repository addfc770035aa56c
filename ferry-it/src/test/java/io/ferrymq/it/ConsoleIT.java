package io.ferrymq.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium (Debian's chromium package, installed by tools/ensure-chromium.sh
 * when missing), driven over the DevTools protocol: logging in, live message rates, the queue, exchange and
 * connection views, getting messages, and (once the server side of issue 8 is merged, see
 * {@link OpsServerEndpoints}) redriving a dead-lettered message and finding a message's trace. Screenshots of each
 * step go to target/console-screenshots.
 */
class ConsoleIT extends WithChannel {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static HeadlessChromium chromium;

    private final ManagementHttp http = new ManagementHttp(broker, "guest", "guest");

    @BeforeAll
    static void startChromium() throws Exception {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("tools/ensure-chromium.sh");
        Process ensure = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String binary = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(ensure.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(ensure.exitValue()).as("tools/ensure-chromium.sh failed: see its output above").isZero();
        chromium = new HeadlessChromium(binary);
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Every test starts logged out, on a fresh load of the console (polling fast, for a lively test). */
    @BeforeEach
    void openConsole() throws Exception {
        chromium.open(base() + "/?poll=300");
        chromium.eval("sessionStorage.clear(); true");
        chromium.open("about:blank"); // a hash change alone would not reload the page
        chromium.open(base() + "/?poll=300#overview");
        chromium.waitFor("!document.getElementById('login').hidden", "the login form");
    }

    @Test
    void aWrongPasswordIsRefusedOnTheLoginForm() throws Exception {
        submitLogin("guest", "wrong");
        chromium.waitFor("document.getElementById('login-error').textContent.includes('Wrong user or password')",
                "the login error");
        assertThat(chromium.eval("document.getElementById('app').hidden").asBoolean()).isTrue();
        chromium.screenshot(SCREENSHOTS.resolve("login-refused.png"));
    }

    @Test
    void logsInAndShowsLiveRatesQueuesExchangesConnectionsAndMessages() throws Exception {
        String queue = unique("console-q");
        ch.queueDeclare(queue, false, false, true, null);
        Channel publisher = conn.createChannel();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try {
            load.scheduleAtFixedRate(() -> {
                try {
                    publisher.basicPublish("", queue, null, utf8("live message"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);

            login();
            assertThat(chromium.text("#who")).contains("guest", "administrator");
            chromium.waitFor("parseFloat(document.getElementById('rate-publish').textContent) > 0",
                    "a publish rate above zero on the overview");
            chromium.waitFor("document.getElementById('overview-chart').width > 0", "the rate chart");
            chromium.screenshot(SCREENSHOTS.resolve("overview.png"));

            chromium.eval("location.hash = '#queues'; true");
            chromium.waitFor("(document.getElementById('queues-table') || {textContent: ''}).textContent.includes("
                    + js(queue) + ")", "the queue in the queues table");
            // the rates come from the queue's own publish/deliver/ack counters, not from its depth
            chromium.waitFor("parseFloat((document.getElementById(" + js("queue-publish:%2F/" + queue)
                    + ") || {}).textContent) > 0", "the queue's incoming rate in the queues table");
            chromium.screenshot(SCREENSHOTS.resolve("queues.png"));

            chromium.eval("location.hash = '#queue/%2F/" + queue + "'; true");
            chromium.waitFor("parseFloat((document.getElementById('queue-rate-publish') || {}).textContent) > 0",
                    "the queue's publish rate, live");
            assertThat(chromium.text("#queue-rate-deliver")).isEqualTo("0.0/s"); // nobody consumes
            chromium.waitFor("document.getElementById('queue-rate-chart').width > 0", "the queue's rate chart");
            chromium.screenshot(SCREENSHOTS.resolve("queue-live-rate.png"));
        } finally {
            load.shutdownNow();
            load.awaitTermination(10, TimeUnit.SECONDS);
        }
        chromium.eval("document.getElementById('get-count').value = 2;"
                + " document.getElementById('get-form').requestSubmit(); true");
        chromium.waitFor("(document.getElementById('messages-table') || {textContent: ''}).textContent"
                + ".includes('live message')", "the messages got from the queue");
        chromium.screenshot(SCREENSHOTS.resolve("queue-get-messages.png"));

        chromium.eval("location.hash = '#exchanges'; true");
        chromium.waitFor("(document.getElementById('exchanges-table') || {textContent: ''}).textContent"
                + ".includes('amq.topic')", "the exchanges table");
        chromium.eval("location.hash = '#connections'; true");
        chromium.waitFor("(document.getElementById('connections-table') || {textContent: ''}).textContent"
                + ".includes('guest')", "the connections table");
        chromium.screenshot(SCREENSHOTS.resolve("connections.png"));
        assertThat(chromium.pageErrors).isEmpty();
    }

    @Test
    @Tag(OpsServerEndpoints.TAG)
    void redrivesADeadLetteredMessageFromTheDeadLetterView() throws Exception {
        OpsServerEndpoints.assumeRedrive(http);
        String origin = unique("console-orders");
        String dlq = unique("console-dlq");
        ch.queueDeclare(dlq, true, false, false, null);
        ch.queueDeclare(origin, true, false, false, Map.of("x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", dlq));
        ch.basicPublish("", origin, null, utf8("dead order"));
        GetResponse got = ch.basicGet(origin, false);
        ch.basicReject(got.getEnvelope().getDeliveryTag(), false);

        login();
        chromium.eval("location.hash = '#dlq'; true");
        chromium.waitFor("(document.getElementById('dlq-table') || {textContent: ''}).textContent.includes("
                + js(dlq) + ")", "the DLQ in the dead-letter view");
        chromium.screenshot(SCREENSHOTS.resolve("dead-letter-queues.png"));
        chromium.eval("[...document.querySelectorAll('#dlq-table a')].find(a => a.textContent === " + js(dlq)
                + ").click(); true");
        chromium.waitFor("document.getElementById('get-form')", "the DLQ's page");
        chromium.eval("document.getElementById('get-form').requestSubmit(); true");
        chromium.waitFor("(document.getElementById('messages-table') || {textContent: ''}).textContent"
                + ".includes('rejected from " + origin + "')", "the message's x-death");
        chromium.eval("document.getElementById('redrive-form').requestSubmit(); true");
        chromium.waitFor("document.getElementById('redrive-result').textContent.includes('moved 1')",
                "the redrive's result");
        chromium.screenshot(SCREENSHOTS.resolve("redrive.png"));

        assertThat(str(ch.basicGet(origin, true).getBody())).isEqualTo("dead order");
        assertThat(ch.messageCount(dlq)).isZero();
    }

    @Test
    @Tag(OpsServerEndpoints.TAG)
    void findsAMessagesTraceByItsId() throws Exception {
        OpsServerEndpoints.assumeTrace(http);
        String queue = unique("console-traced");
        String id = unique("console-msg");
        ch.queueDeclare(queue, false, false, true, null);
        assertThat(http.put("/api/trace/%2F", "{\"enabled\": true}").status()).isBetween(200, 204);
        try {
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().messageId(id).build(), utf8("traced"));
            GetResponse got = ch.basicGet(queue, false);
            ch.basicAck(got.getEnvelope().getDeliveryTag(), false);

            login();
            chromium.eval("location.hash = '#trace'; true");
            chromium.waitFor("document.getElementById('trace-form')", "the trace page");
            chromium.eval("document.getElementById('trace-message-id').value = " + js(id) + ";"
                    + " document.getElementById('trace-form').requestSubmit(); true");
            chromium.waitFor("(document.getElementById('trace-table') || {textContent: ''}).textContent"
                    + ".includes('published')", "the message's trace events");
            assertThat(chromium.text("#trace-table")).contains(queue);
            chromium.screenshot(SCREENSHOTS.resolve("trace.png"));
        } finally {
            http.put("/api/trace/%2F", "{\"enabled\": false}");
        }
    }

    private void login() throws Exception {
        submitLogin("guest", "guest");
        chromium.waitFor("!document.getElementById('app').hidden", "the console after logging in");
    }

    private void submitLogin(String user, String password) throws Exception {
        chromium.eval("document.getElementById('login-user').value = " + js(user) + ";"
                + " document.getElementById('login-password').value = " + js(password) + ";"
                + " document.getElementById('login-form').requestSubmit(); true");
    }

    private String base() {
        return "http://" + broker.host() + ":" + broker.httpPort();
    }

    private static String js(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    }
}
