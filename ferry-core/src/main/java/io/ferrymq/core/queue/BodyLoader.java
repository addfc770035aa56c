package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

/** Reads a paged entry's message back from the store, under the queue's lock (the store's read cache helps). */
@FunctionalInterface
public interface BodyLoader {

    /** For queues that never page: nothing can be loaded. */
    BodyLoader NONE = address -> {
        throw new IllegalStateException("no store to read the message at " + address + " from");
    };

    /** The message stored at {@code address}; throws when it cannot be read or decoded. */
    Message load(long address);
}
