package io.ferrymq.core.queue;

/**
 * The back-off of {@code x-retry-delay}, {@code x-retry-multiplier} and {@code x-retry-max-delay}: after the n-th
 * failed delivery of a message it waits {@code delay × multiplier^(n-1)} ms, at most the max delay, before it is
 * offered again.
 */
final class RetrySchedule {
    private RetrySchedule() {
    }

    /** The wait after {@code failures} failed deliveries (1 for the first); only for a queue that retries. */
    static long delayAfter(QueueArguments arguments, int failures) {
        double delay = arguments.retryDelay() * Math.pow(arguments.retryMultiplier(), Math.max(0, failures - 1));
        long cap = arguments.retryMaxDelay() == QueueArguments.NONE ? Long.MAX_VALUE : arguments.retryMaxDelay();
        return delay >= cap ? cap : (long) delay;
    }
}
