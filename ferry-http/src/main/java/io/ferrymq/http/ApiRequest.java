package io.ferrymq.http;

import io.netty.handler.codec.http.HttpMethod;

import java.net.InetSocketAddress;

/**
 * An authenticated request as an {@link Endpoint} sees it.
 *
 * @param path         the decoded path without the query string
 * @param user         the broker user the request was authenticated as
 * @param localAddress the address the request arrived on, so that an endpoint can report the HTTP listener
 */
public record ApiRequest(HttpMethod method, String path, String user, InetSocketAddress localAddress) {
}
