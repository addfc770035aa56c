package io.ferrymq.server;

/**
 * An expected reason the node cannot start: a bad setting, a taken port, an unusable data directory. The message is
 * one line that names the object and what is wrong with it; {@link Main} prints just that line, no stack trace.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
