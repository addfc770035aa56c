package io.ferrymq.bench;

import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.Session;

import java.util.concurrent.Semaphore;

/**
 * Publishes through a core session with at most {@link #SIZE} messages not yet confirmed, as a publisher with a
 * confirm window does; the in-process footprint benchmarks load their backlogs through it. A failed publish ends
 * the benchmark: its numbers would mean nothing.
 */
final class ConfirmWindow {
    static final int SIZE = 10_000;

    private final Semaphore free = new Semaphore(SIZE);

    /** Waits for room in the window, then publishes. */
    void publish(Session session, PublishRequest request) throws InterruptedException {
        free.acquire();
        session.publish(request).whenComplete((outcome, error) -> {
            if (error != null) {
                error.printStackTrace();
                System.exit(1);
            }
            free.release();
        });
    }

    /** Waits until every message published so far is confirmed. */
    void awaitConfirms() throws InterruptedException {
        free.acquire(SIZE);
        free.release(SIZE);
    }
}
