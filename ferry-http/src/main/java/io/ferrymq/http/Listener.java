package io.ferrymq.http;

/** A port the node serves a protocol on, as listed by {@code GET /api/overview}. */
public record Listener(String protocol, int port) {
}
