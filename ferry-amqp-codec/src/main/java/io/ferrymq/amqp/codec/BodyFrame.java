package io.ferrymq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A content body frame (type 3). {@code payload} is a retained slice of the received bytes, not a copy, so the
 * frame is reference counted through it: whoever takes the frame must release it (or pass it on).
 */
public record BodyFrame(int channel, ByteBuf payload) implements Frame, ReferenceCounted {
    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public BodyFrame retain() {
        payload.retain();
        return this;
    }

    @Override
    public BodyFrame retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public BodyFrame touch() {
        payload.touch();
        return this;
    }

    @Override
    public BodyFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }
}
