package io.ferrymq.cli;

/** The command line makes no sense (found after parsing, e.g. a malformed key=value): exit code 2. */
final class UsageFailure extends RuntimeException {
    UsageFailure(String message) {
        super(message);
    }
}
