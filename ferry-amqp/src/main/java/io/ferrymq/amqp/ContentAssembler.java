package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.HeaderFrame;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;

/**
 * Owned by the connection's event loop; one per channel. Collects the header and body frames that
 * follow a {@code basic.publish} into one message. Error codes follow RabbitMQ's command assembler:
 * a frame out of sequence is 505 UNEXPECTED_FRAME, a body that overruns the declared size (or a
 * declared size over {@link #MAX_BODY_SIZE}) is 501 FRAME_ERROR.
 */
final class ContentAssembler {
    /** Hard cap on a declared body size, as RabbitMQ's; the core enforces the configured (smaller) limit. */
    static final long MAX_BODY_SIZE = 512L * 1024 * 1024;
    /** Bodies up to this size get their whole array at once; bigger ones grow as frames arrive. */
    private static final int EAGER_ALLOCATION_BYTES = 1024 * 1024;
    private static final int CONTENT_CLASS = 60;
    private static final byte[] EMPTY = new byte[0];

    private BasicPublish publish;
    private boolean awaitingHeader;
    private MessageProperties properties;
    private int bodySize;
    private byte[] body;
    private int filled;

    boolean inProgress() {
        return publish != null;
    }

    void start(BasicPublish method) {
        publish = method;
        awaitingHeader = true;
    }

    /** @return true when the header completes the content (an empty body has no body frames) */
    boolean header(HeaderFrame frame) {
        if (!awaitingHeader) {
            throw unexpected("expected content body, got a content header frame instead");
        }
        if (frame.classId() != CONTENT_CLASS) {
            throw unexpected("expected content header for class 60, got one for class " + frame.classId() + " instead");
        }
        long size = frame.bodySize();
        if (size < 0 || size > MAX_BODY_SIZE) {
            throw AmqpError.of(ReplyCode.FRAME_ERROR, "content body size " + Long.toUnsignedString(size)
                    + " exceeds maximum allowed size " + MAX_BODY_SIZE, publish);
        }
        awaitingHeader = false;
        properties = frame.properties();
        bodySize = (int) size;
        filled = 0;
        body = bodySize == 0 ? EMPTY : new byte[Math.min(bodySize, EAGER_ALLOCATION_BYTES)];
        return bodySize == 0;
    }

    /** Copies the frame's payload; the caller still owns (and releases) the frame. */
    boolean body(BodyFrame frame) {
        if (awaitingHeader) {
            throw unexpected("expected content header for class 60, got non content header frame instead");
        }
        ByteBuf payload = frame.payload();
        int length = payload.readableBytes();
        if (length > bodySize - filled) {
            throw AmqpError.of(ReplyCode.FRAME_ERROR, "content body frame exceeds remaining content size", publish);
        }
        if (filled + length > body.length) {
            grow(filled + length);
        }
        payload.getBytes(payload.readerIndex(), body, filled, length);
        filled += length;
        return filled == bodySize;
    }

    /** A method frame arrived while content was expected. */
    AmqpError interrupted() {
        return unexpected(awaitingHeader
                ? "expected content header for class 60, got non content header frame instead"
                : "expected content body, got non content body frame instead");
    }

    BasicPublish publish() {
        return publish;
    }

    MessageProperties properties() {
        return properties;
    }

    /** Hands over the completed body and readies for the next publish. */
    byte[] takeBody() {
        byte[] result = body;
        reset();
        return result;
    }

    void reset() {
        publish = null;
        awaitingHeader = false;
        properties = null;
        body = null;
        bodySize = 0;
        filled = 0;
    }

    private void grow(int needed) {
        int capacity = (int) Math.min(bodySize, Math.max(needed, (long) body.length * 2));
        byte[] bigger = new byte[capacity];
        System.arraycopy(body, 0, bigger, 0, filled);
        body = bigger;
    }

    private AmqpError unexpected(String text) {
        return AmqpError.of(ReplyCode.UNEXPECTED_FRAME, text, publish);
    }
}
