package io.ferrymq.core;

import java.util.Map;

/**
 * Who is connecting, as the protocol adapter learned it during the handshake.
 *
 * @param id               unique and stable for the connection's life (e.g. "127.0.0.1:50312 -> 127.0.0.1:5672")
 * @param user             the authenticated user name
 * @param clientProperties what the client said about itself (AMQP client-properties)
 */
public record ConnectionInfo(String id, String user, String remoteAddress, String protocol,
                             Map<String, Object> clientProperties) {
}
