package io.ferrymq.core.queue;

import java.util.Arrays;
import java.util.Optional;

/** {@code x-overflow}: what a queue at its length limit does with one more message. */
public enum Overflow {
    /** Drop (dead-letter with {@code maxlen}) the oldest ready messages to make room: the default. */
    DROP_HEAD("drop-head"),
    /** Refuse the new message: the publisher gets a nack in confirm mode. */
    REJECT_PUBLISH("reject-publish"),
    /** Refuse the new message as {@link #REJECT_PUBLISH} does, and dead-letter it with {@code maxlen}. */
    REJECT_PUBLISH_DLX("reject-publish-dlx");

    private final String wireName;

    Overflow(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Overflow> byName(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
    }
}
