package io.ferrymq.core;

/**
 * Told when a resource alarm (memory, later disk) starts and stops blocking publishers. Called
 * from the thread that detected the change; implementations hand over to their own thread.
 */
public interface AlarmListener {

    /** Publishers must stop; {@code reason} names the resource ("memory high watermark reached..."). */
    void blocked(String reason);

    void unblocked();
}
