package io.ferrymq.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host names as the node shows them: in URLs and as its own node name. */
final class HostNames {

    private HostNames() {
    }

    /** IPv6 literals need brackets inside a URL. */
    static String forUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** {@code ferrymq@<hostname>}, after RabbitMQ's {@code rabbit@<hostname>}. */
    static String nodeName() {
        try {
            return "ferrymq@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unresolvable) {
            return "ferrymq@localhost";
        }
    }
}
