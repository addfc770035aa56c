package io.ferrymq.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The web console's static files, served without credentials at {@code /} and {@code /<file>} (the page itself
 * logs in against the API). Only the files named in {@link #FILES} exist: they are read from the classpath once, at
 * construction, and a request is looked up by exact name, so no path (with {@code ..}, encoded slashes or anything
 * else) can reach another file. Immutable, shared by the event-loop threads.
 */
final class ConsoleAssets implements Endpoint {
    static final String RESOURCE_DIR = "/io/ferrymq/http/console/";
    static final List<String> FILES = List.of("index.html", "console.css", "console.js", "chart.js", "favicon.svg");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");
    /** The console loads nothing from elsewhere and may not be framed. */
    private static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");

    private final Map<String, ApiResponse> byName = new HashMap<>();

    ConsoleAssets() {
        for (String file : FILES) {
            ApiResponse response = ApiResponse.ok(new ApiResponse.Raw(contentType(file), read(file)));
            for (Map.Entry<String, String> header : HEADERS.entrySet()) {
                response = response.withHeader(header.getKey(), header.getValue());
            }
            byName.put(file, response);
        }
        byName.put("", byName.get("index.html"));
    }

    List<Route> routes() {
        return List.of(Route.get("/", Route.Access.PUBLIC, this), Route.get("/{asset}", Route.Access.PUBLIC, this));
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String name = request.params().getOrDefault("asset", "");
        ApiResponse asset = byName.get(name);
        return CompletableFuture.completedFuture(asset != null ? asset : ApiResponse.error(
                HttpResponseStatus.NOT_FOUND, "not_found", "no console file or endpoint at " + request.path()));
    }

    private static String contentType(String file) {
        String type = CONTENT_TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        if (type == null) {
            throw new IllegalStateException("no content type for console file " + file);
        }
        return type;
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("console file " + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
