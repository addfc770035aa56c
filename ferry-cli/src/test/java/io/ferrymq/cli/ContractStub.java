package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A stand-in for the endpoints of /work's issue-8 contract that the broker on this branch does not have yet
 * (policies, redrive, trace): a real HTTP server (the JDK's) that records each request and answers what the
 * contract says. The end-to-end tests of the same commands run against the real broker once it has them.
 */
final class ContractStub implements AutoCloseable {
    /** One request as the stub saw it. */
    record Request(String method, String uri, JsonNode body) {
    }

    private final HttpServer server;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    /** @param answer status and JSON body (null for none) for each request */
    ContractStub(Function<Request, Map.Entry<Integer, String>> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, answer));
        server.start();
    }

    private void handle(HttpExchange exchange, Function<Request, Map.Entry<Integer, String>> answer)
            throws IOException {
        byte[] in = exchange.getRequestBody().readAllBytes();
        JsonNode body = in.length == 0 ? null : ApiClient.JSON.readTree(in);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                body);
        requests.add(request);
        Map.Entry<Integer, String> reply = answer.apply(request);
        byte[] out = reply.getValue().isEmpty() ? new byte[0] : reply.getValue().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.getKey(), out.length == 0 ? -1 : out.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Exit code, stdout, stderr of {@code ferry args... --url <stub>}. */
    record Run(int code, String out, String err) {
    }

    Run ferry(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
