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

    /**
     * A host a client on this machine can connect to for a listener bound to {@code boundHost}: the host itself, or
     * {@code localhost} for a wildcard ({@code 0.0.0.0}, {@code ::}), which names no address to connect to.
     */
    static String connectable(String boundHost) {
        return isWildcard(boundHost) ? "localhost" : boundHost;
    }

    /** {@code 0.0.0.0} or any spelling of the IPv6 wildcard ({@code ::}, {@code 0:0:0:0:0:0:0:0}); no DNS lookup. */
    static boolean isWildcard(String host) {
        if (host.equals("0.0.0.0")) {
            return true;
        }
        if (!host.contains(":")) { // not an IPv6 literal
            return false;
        }
        try {
            // in brackets the JDK only parses an IPv6 literal and refuses anything else, never looking it up
            return InetAddress.getByName("[" + host + "]").isAnyLocalAddress();
        } catch (UnknownHostException notALiteral) {
            return false;
        }
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
