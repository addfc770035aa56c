package io.ferrymq.amqp.codec;

import static io.ferrymq.amqp.codec.PropertyFlags.APP_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.CLUSTER_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.CONTENT_ENCODING;
import static io.ferrymq.amqp.codec.PropertyFlags.CONTENT_TYPE;
import static io.ferrymq.amqp.codec.PropertyFlags.CONTINUATION;
import static io.ferrymq.amqp.codec.PropertyFlags.CORRELATION_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.DELIVERY_MODE;
import static io.ferrymq.amqp.codec.PropertyFlags.EXPIRATION;
import static io.ferrymq.amqp.codec.PropertyFlags.HEADERS;
import static io.ferrymq.amqp.codec.PropertyFlags.MESSAGE_ID;
import static io.ferrymq.amqp.codec.PropertyFlags.PRIORITY;
import static io.ferrymq.amqp.codec.PropertyFlags.REPLY_TO;
import static io.ferrymq.amqp.codec.PropertyFlags.TIMESTAMP;
import static io.ferrymq.amqp.codec.PropertyFlags.TYPE;
import static io.ferrymq.amqp.codec.PropertyFlags.UNUSED;
import static io.ferrymq.amqp.codec.PropertyFlags.USER_ID;

import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;

import java.time.Instant;
import java.util.Map;

/**
 * Decodes a content header frame's payload: {@code class-id u16, weight u16 (ignored), body-size u64,
 * property-flags u16, properties}. Pure: needs no Netty pipeline.
 */
public final class ContentHeaderDecoder {
    private ContentHeaderDecoder() {
    }

    /**
     * Decodes a whole header payload, consuming it.
     *
     * @throws FrameDecodingException 501 if the payload is cut short, has trailing octets or is for a class other
     *     than basic; 502 if a property cannot be decoded or the body size is negative
     */
    public static HeaderFrame decode(int channel, ByteBuf payload) {
        try {
            int classId = payload.readUnsignedShort();
            if (classId != BasicPublish.CLASS_ID) {
                throw FrameDecodingException.frameError("content header for class " + classId
                        + ", but only class 60 (basic) carries content");
            }
            payload.skipBytes(Short.BYTES);
            long bodySize = payload.readLong();
            if (bodySize < 0) {
                throw FrameDecodingException.syntaxError("content header announces a body of "
                        + Long.toUnsignedString(bodySize) + " octets, more than any message can hold");
            }
            MessageProperties properties = readProperties(payload);
            if (payload.isReadable()) {
                throw FrameDecodingException.frameError("content header has " + payload.readableBytes()
                        + " octets after its properties");
            }
            return new HeaderFrame(channel, classId, bodySize, properties);
        } catch (IndexOutOfBoundsException e) {
            throw FrameDecodingException.frameError("content header frame ends before its properties")
                    .onChannel(channel);
        } catch (FrameDecodingException e) {
            throw e.onChannel(channel);
        }
    }

    /** Reads the property-flags word(s) and the present properties of class basic. */
    public static MessageProperties readProperties(ByteBuf in) {
        int flags = in.readUnsignedShort();
        if ((flags & UNUSED) != 0) {
            throw FrameDecodingException.syntaxError("content header sets property flag bit 1, which basic lacks");
        }
        for (int more = flags; (more & CONTINUATION) != 0; ) {
            more = in.readUnsignedShort();
            if ((more & ~CONTINUATION) != 0) {
                throw FrameDecodingException.syntaxError(String.format(
                        "content header sets property flags 0x%04x in a continuation word, but basic has only 14",
                        more));
            }
        }
        if ((flags & ~CONTINUATION) == 0) {
            return MessageProperties.EMPTY;
        }
        return new MessageProperties(
                shortstr(in, flags, CONTENT_TYPE),
                shortstr(in, flags, CONTENT_ENCODING),
                (flags & HEADERS) != 0 ? FieldTableCodec.read(in) : null,
                octet(in, flags, DELIVERY_MODE),
                octet(in, flags, PRIORITY),
                shortstr(in, flags, CORRELATION_ID),
                shortstr(in, flags, REPLY_TO),
                shortstr(in, flags, EXPIRATION),
                shortstr(in, flags, MESSAGE_ID),
                timestamp(in, flags),
                shortstr(in, flags, TYPE),
                shortstr(in, flags, USER_ID),
                shortstr(in, flags, APP_ID),
                shortstr(in, flags, CLUSTER_ID));
    }

    private static String shortstr(ByteBuf in, int flags, int flag) {
        return (flags & flag) != 0 ? StringCodec.readShortstr(in) : null;
    }

    private static Integer octet(ByteBuf in, int flags, int flag) {
        return (flags & flag) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null;
    }

    private static Instant timestamp(ByteBuf in, int flags) {
        if ((flags & TIMESTAMP) == 0) {
            return null;
        }
        long seconds = in.readLong();
        if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw FrameDecodingException.syntaxError("timestamp property " + seconds
                    + " is outside the range of java.time.Instant");
        }
        return Instant.ofEpochSecond(seconds);
    }
}
