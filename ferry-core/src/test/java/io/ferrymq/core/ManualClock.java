package io.ferrymq.core;

import io.ferrymq.common.Clock;

import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
final class ManualClock implements Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public long nanos() {
        return millis.get() * 1_000_000;
    }

    void advance(long ms) {
        millis.addAndGet(ms);
    }
}
