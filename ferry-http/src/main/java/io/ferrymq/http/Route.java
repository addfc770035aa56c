package io.ferrymq.http;

import io.netty.handler.codec.http.HttpMethod;

/** One entry of the {@link Router}: requests with this method and exactly this path go to the endpoint. */
public record Route(HttpMethod method, String path, Endpoint endpoint) {
}
