package io.ferrymq.core;

/**
 * Told when resource alarms (memory, disk) start and stop blocking publishers. {@link #blocked} comes again when
 * the set of alarms in effect changes while one is on, with every alarm's reason; {@link #unblocked} once none is
 * left. Called from the thread that detected the change; implementations hand over to their own thread.
 */
public interface AlarmListener {

    /** Publishers must stop; {@code reason} names the resources ("low on disk: ...", "memory high watermark..."). */
    void blocked(String reason);

    void unblocked();
}
