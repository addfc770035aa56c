package io.ferrymq.core.dedup;

import io.ferrymq.core.Message;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The deduplication key of a message: the {@code x-deduplication-header} header, else the message-id. */
public final class DedupKey {
    public static final String HEADER = "x-deduplication-header";

    private DedupKey() {
    }

    /** The key, or null when the message has none (it is then never treated as a duplicate). */
    public static String of(Message message) {
        Map<String, Object> headers = message.properties().headers();
        Object header = headers == null ? null : headers.get(HEADER);
        if (header != null) {
            return header instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(header);
        }
        return message.properties().messageId();
    }
}
