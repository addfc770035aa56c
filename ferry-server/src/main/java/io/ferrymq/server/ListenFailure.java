package io.ferrymq.server;

import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/** Turns a failed bind into the one line an operator needs: which address, and why. */
final class ListenFailure {

    private ListenFailure() {
    }

    static StartupException of(String host, int port, Throwable failure) {
        return new StartupException("cannot listen on " + HostNames.forUrl(host) + ":" + port + ": "
                + reason(failure), failure);
    }

    /**
     * Netty's native transport reports a taken port as an IOException whose message ends with the OS text, the NIO
     * transport as a {@link BindException}; both come out as "address already in use".
     */
    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("address already in use")) {
                return "address already in use";
            }
            if (message.contains("cannot assign requested address")) {
                return "no such local address";
            }
            if (cause instanceof BindException || cause.getCause() == null) {
                return message.isEmpty() ? cause.getClass().getSimpleName() : message;
            }
        }
        return failure.toString();
    }
}
