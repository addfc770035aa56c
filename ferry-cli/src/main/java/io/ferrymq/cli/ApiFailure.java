package io.ferrymq.cli;

/**
 * The API refused a request, or could not be reached: the message is the one line printed to stderr, and the
 * command ends with exit code 1.
 */
final class ApiFailure extends RuntimeException {
    private final int status;

    ApiFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came at all. */
    int status() {
        return status;
    }
}
