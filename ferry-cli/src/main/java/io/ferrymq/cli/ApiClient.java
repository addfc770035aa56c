package io.ferrymq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The management API over {@link HttpClient}: JSON in and out, basic auth. Every failure becomes an
 * {@link ApiFailure} whose message is fit for one line of stderr. Used by one command at a time.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String user;
    private final String authorization;

    ApiClient(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.user = user;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** The answer's JSON (a missing node for an empty body); throws {@link ApiFailure} for any non-2xx status. */
    JsonNode send(String method, String path, Object body) {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new ApiFailure(0, "bad --url '" + baseUrl + "': " + e.getMessage());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new ApiFailure(0, "bad --url '" + baseUrl + "': expected http://host:port");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new ApiFailure(0, "cannot reach " + baseUrl + ": connection timed out");
        } catch (ConnectException e) {
            throw new ApiFailure(0, "cannot reach " + baseUrl + ": connection refused (is the broker running?"
                    + " its HTTP port is set with --http-port)");
        } catch (HttpTimeoutException e) {
            throw new ApiFailure(0, method + " " + path + ": no answer from " + baseUrl + " within "
                    + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new ApiFailure(0, "cannot talk to " + baseUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure(0, "interrupted");
        }
        return answer(method, path, response.statusCode(), response.body());
    }

    private JsonNode answer(String method, String path, int status, String text) {
        JsonNode json;
        try {
            json = text == null || text.isEmpty() ? JSON.missingNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new ApiFailure(status, method + " " + path + " answered something that is not JSON");
            }
            return json;
        }
        String reason = json == null ? "" : json.path("reason").asText("");
        throw new ApiFailure(status, switch (status) {
            case 401 -> "401 not authorized: user '" + user + "' was refused" + (reason.isEmpty() ? ""
                    : " (" + reason + ")") + "; set --user/--password or FERRY_USER/FERRY_PASSWORD";
            case 404 -> "404 not found: " + (reason.isEmpty() ? path : reason);
            default -> status + " " + (reason.isEmpty() ? method + " " + path + " failed" : reason);
        });
    }

    private static byte[] bytes(Object body) {
        try {
            return body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body + " as JSON", e);
        }
    }

    /** A path segment as RabbitMQ's clients encode it: {@code /} is {@code %2F}, a space {@code %20}. */
    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
