package io.ferrymq.amqp.codec;

/** The frame layout, {@code type u8 | channel u16 | size u32 | payload | 0xCE}, and its size limits. */
public final class FrameFormat {
    public static final int METHOD = 1;
    public static final int HEADER = 2;
    public static final int BODY = 3;
    public static final int HEARTBEAT = 8;
    public static final int FRAME_END = 0xCE;
    /** Octets around a payload: type, channel and size before it, the end octet after it. */
    public static final int FRAME_OVERHEAD = 8;
    /** Octets before a payload. */
    public static final int FRAME_HEADER_SIZE = 7;
    /** The smallest frame-max a peer may negotiate. */
    public static final int FRAME_MIN_SIZE = 4096;
    /** RabbitMQ's default frame-max, a sensible limit before tune-ok. */
    public static final int DEFAULT_FRAME_MAX = 131072;

    private FrameFormat() {
    }
}
