package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol: a WebSocket ({@link java.net.http.WebSocket}) to one page,
 * JSON commands with ids, answers matched by id. Enough to load a page, run JavaScript in it, wait for what it
 * shows and take screenshots; no browser-automation library. Used by one test thread at a time.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    /** Generous: a first start on a loaded CI machine is slow. Not a speed assertion: only an upper bound. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** The page's console errors and uncaught exceptions, for failure messages. */
    final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());

    HeadlessChromium(String binary) throws Exception {
        profile = Files.createTempDirectory("ferry-chromium");
        process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
                "--window-size=1280,900", "about:blank").redirectErrorStream(true).start();
        String browserUrl = awaitListening();
        URI base = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":" + base.getPort()
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageUrl = null;
        for (JsonNode target : JSON.readTree(list)) {
            if (target.path("type").asText().equals("page")) {
                pageUrl = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            throw new IllegalStateException("chromium opened no page: " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        send("Runtime.enable", JSON.createObjectNode());
        send("Page.enable", JSON.createObjectNode());
    }

    /** Reads chromium's output until it names its DevTools endpoint, then keeps draining it on a daemon thread. */
    private String awaitListening() throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    } else if (!url.isDone()) {
                        seen.add(line);
                    }
                }
            } catch (IOException closed) {
                // the browser went away
            }
            url.completeExceptionally(new IllegalStateException("chromium exited before listening: " + seen));
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return url.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("chromium did not start: " + seen, e);
        }
    }

    /** Loads the URL and waits until the document has loaded. */
    void open(String url) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", url));
        waitFor("document.readyState === 'complete' && location.href === " + JSON.writeValueAsString(url),
                "the page " + url + " to load");
    }

    /** The value of a JavaScript expression (promises awaited), as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + expression + " -> "
                    + result.path("exceptionDetails").path("exception").path("description").asText(
                    result.path("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** Waits until the expression is truthy; fails, with the page's text and errors, after {@link #WAIT}. */
    void waitFor(String expression, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode value = eval("!!(" + expression + ")");
            if (value.asBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; the page shows:\n"
                        + eval("document.body ? document.body.innerText : ''").asText() + "\npage errors: "
                        + pageErrors);
            }
            Thread.sleep(100);
        }
    }

    String text(String selector) throws Exception {
        return eval("(document.querySelector(" + JSON.writeValueAsString(selector) + ") || {}).textContent || ''")
                .asText();
    }

    void screenshot(Path file) throws Exception {
        JsonNode shot = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    private JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.path("error"));
        }
        return reply.path("result");
    }

    /** Joins a message's frames, then completes the command it answers or records a page error. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder frames = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.append(data);
            if (last) {
                String text = frames.toString();
                frames.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.remove(message.path("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else if (message.path("method").asText().equals("Runtime.exceptionThrown")) {
                        pageErrors.add(message.path("params").path("exceptionDetails").path("exception")
                                .path("description").asText());
                    } else if (message.path("method").asText().equals("Runtime.consoleAPICalled")
                            && message.path("params").path("type").asText().equals("error")) {
                        pageErrors.add(message.path("params").path("args").toString());
                    }
                } catch (IOException e) {
                    pageErrors.add("unreadable DevTools message: " + e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // the browser may be gone already
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
