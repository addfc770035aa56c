package io.ferrymq.common;

/**
 * The source of time for the broker core and store. Production code uses {@link #system()};
 * tests inject a fake so that time-driven behaviour (TTL, timeouts, heartbeats) is tested
 * without sleeping.
 */
public interface Clock {

    /** Wall-clock milliseconds since the Unix epoch (for timestamps users see). */
    long millis();

    /** Monotonic nanoseconds, only meaningful as a difference (for deadlines and timeouts). */
    long nanos();

    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
