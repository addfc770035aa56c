package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FrameEncoder;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * Owned by the connection's event loop. Encodes every outgoing frame of the connection into one
 * pooled direct buffer, handed to the socket once per pass ({@link #flush()}): a read batch, an
 * inbox pass or a delivery drain costs one write and one flush, not one per frame. A buffer that
 * grows past {@link #SPILL_BYTES} is passed down early (still without a flush) so that the socket's
 * writability reflects what is queued and pooled chunks stay small.
 */
final class FrameWriter {
    private static final int INITIAL_BYTES = 4096;
    private static final int SPILL_BYTES = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private ByteBuf buffer;
    private int frameMax;
    /** ctx.write was called since the last ctx.flush. */
    private boolean unflushed;
    /** A frame was written since the heartbeat last looked ({@link #takeWrittenSinceTick()}). */
    private boolean writtenSinceTick;
    private boolean closed;

    FrameWriter(ChannelHandlerContext ctx, int frameMax) {
        this.ctx = ctx;
        this.frameMax = frameMax;
    }

    /** Body frames are split to the frame-max negotiated in tune-ok. */
    void frameMax(int negotiated) {
        this.frameMax = negotiated;
    }

    void method(int channel, AmqpMethod method) {
        if (closed) {
            return;
        }
        FrameEncoder.writeMethod(buffer(), channel, method);
        written();
    }

    /** A content-bearing method (deliver, get-ok, return) with its header and body frames. */
    void content(int channel, AmqpMethod method, MessageProperties properties, byte[] body) {
        if (closed) {
            return;
        }
        FrameEncoder.writeContent(buffer(), channel, method, properties, body, frameMax);
        written();
    }

    void heartbeat() {
        if (closed) {
            return;
        }
        FrameEncoder.writeHeartbeat(buffer());
        written();
    }

    /** The raw protocol header, sent once to refuse an unsupported protocol version. */
    void protocolHeader() {
        if (closed) {
            return;
        }
        buffer().writeBytes(FrameEncoder.PROTOCOL_HEADER);
        written();
    }

    /** Hands everything written in this pass to the socket. */
    void flush() {
        if (buffer != null) {
            passDown();
        }
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    /** Flushes what is written, then closes the socket once it is out; later frames are dropped. */
    void flushThenClose() {
        if (closed) {
            return;
        }
        closed = true;
        ByteBuf last = buffer == null ? Unpooled.EMPTY_BUFFER : buffer;
        buffer = null;
        unflushed = false;
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    /** Drops what is not yet handed to the socket (the connection is gone). */
    void discard() {
        closed = true;
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    boolean takeWrittenSinceTick() {
        boolean result = writtenSinceTick;
        writtenSinceTick = false;
        return result;
    }

    private ByteBuf buffer() {
        if (buffer == null) {
            buffer = ctx.alloc().ioBuffer(INITIAL_BYTES);
        }
        return buffer;
    }

    private void written() {
        writtenSinceTick = true;
        if (buffer.readableBytes() >= SPILL_BYTES) {
            passDown();
        }
    }

    private void passDown() {
        ByteBuf out = buffer;
        buffer = null;
        if (out.isReadable()) {
            ctx.write(out, ctx.voidPromise());
            unflushed = true;
        } else {
            out.release();
        }
    }
}
