package io.ferrymq.amqp.codec;

import io.ferrymq.common.message.MessageProperties;

/**
 * A content header frame (type 2), sent after a content-bearing method: the class of the content (60, basic),
 * the total size of the body frames that follow, and the message properties.
 */
public record HeaderFrame(int channel, int classId, long bodySize, MessageProperties properties) implements Frame {
}
