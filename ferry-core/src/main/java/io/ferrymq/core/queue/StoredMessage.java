package io.ferrymq.core.queue;

import io.ferrymq.common.message.FieldValues;

import java.util.Map;

/**
 * What a queue needs to put back a message recovered from the store while its body stays there.
 *
 * @param bodySize   the body's size in bytes
 * @param expiration its {@code expiration} property, or null
 * @param priority   its {@code priority} property, or null
 * @param groupId    its {@code x-group-id} header, or null
 */
public record StoredMessage(int bodySize, String expiration, Integer priority, String groupId) {

    /** The message group named by {@code headers} ({@link OrderingArguments#GROUP_HEADER}), or null. */
    public static String groupIdOf(Map<String, Object> headers) {
        Object value = headers == null ? null : headers.get(OrderingArguments.GROUP_HEADER);
        if (value == null) {
            return null;
        }
        return FieldValues.asString(value).or(() -> FieldValues.asLong(value).map(String::valueOf)).orElse(null);
    }
}
