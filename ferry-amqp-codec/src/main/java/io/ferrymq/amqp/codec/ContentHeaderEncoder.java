package io.ferrymq.amqp.codec;

import static io.ferrymq.amqp.codec.PropertyFlags.APP_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.CLUSTER_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.CONTENT_ENCODING;
import static io.ferrymq.amqp.codec.PropertyFlags.CONTENT_TYPE;
import static io.ferrymq.amqp.codec.PropertyFlags.CORRELATION_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.DELIVERY_MODE;
import static io.ferrymq.amqp.codec.PropertyFlags.EXPIRATION;
import static io.ferrymq.amqp.codec.PropertyFlags.HEADERS;
import static io.ferrymq.amqp.codec.PropertyFlags.MESSAGE_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.PRIORITY;
import static io.ferrymq.amqp.codec.PropertyFlags.REPLY_TO;
import static io.ferrymq.amqp.codec.PropertyFlags.TIMESTAMP;
import static io.ferrymq.amqp.codec.PropertyFlags.TYPE;
import static io.ferrymq.amqp.codec.PropertyFlags.USER_ID;

import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;

/**
 * Encodes the property-flags word and the present properties of class basic, in flag order. The flags word is
 * written as a placeholder and patched once the properties are written, so each property is looked at once.
 */
public final class ContentHeaderEncoder {
    private ContentHeaderEncoder() {
    }

    /**
     * Writes a content header payload: class id, weight 0, body size, flags and properties.
     *
     * @throws IllegalArgumentException if a property cannot be encoded; {@code out} may then hold part of it
     */
    public static void write(ByteBuf out, int classId, long bodySize, MessageProperties properties) {
        out.writeShort(classId);
        out.writeShort(0);
        out.writeLong(bodySize);
        writeProperties(out, properties);
    }

    /** Writes the flags and the present properties; null writes no properties. */
    public static void writeProperties(ByteBuf out, MessageProperties p) {
        int flagsIndex = out.writerIndex();
        out.writeShort(0);
        if (p == null) {
            return;
        }
        int flags = 0;
        flags |= shortstr(out, p.contentType(), CONTENT_TYPE, "content-type property");
        flags |= shortstr(out, p.contentEncoding(), CONTENT_ENCODING, "content-encoding property");
        if (p.headers() != null) {
            FieldTableCodec.write(out, p.headers());
            flags |= HEADERS;
        }
        flags |= octet(out, p.deliveryMode(), DELIVERY_MODE, "delivery-mode");
        flags |= octet(out, p.priority(), PRIORITY, "priority");
        flags |= shortstr(out, p.correlationId(), CORRELATION_ID, "correlation-id property");
        flags |= shortstr(out, p.replyTo(), REPLY_TO, "reply-to property");
        flags |= shortstr(out, p.expiration(), EXPIRATION, "expiration property");
        flags |= shortstr(out, p.messageId(), MESSAGE_ID, "message-id property");
        if (p.timestamp() != null) {
            out.writeLong(p.timestamp().getEpochSecond());
            flags |= TIMESTAMP;
        }
        flags |= shortstr(out, p.type(), TYPE, "type property");
        flags |= shortstr(out, p.userId(), USER_ID, "user-id property");
        flags |= shortstr(out, p.appId(), APP_ID, "app-id property");
        flags |= shortstr(out, p.clusterId(), CLUSTER_ID, "cluster-id property");
        out.setShort(flagsIndex, flags);
    }

    private static int shortstr(ByteBuf out, String value, int flag, String field) {
        if (value == null) {
            return 0;
        }
        StringCodec.writeShortstr(out, value, field);
        return flag;
    }

    private static int octet(ByteBuf out, Integer value, int flag, String field) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(field + " property " + value + " does not fit an octet (0-255)");
        }
        out.writeByte(value);
        return flag;
    }
}
