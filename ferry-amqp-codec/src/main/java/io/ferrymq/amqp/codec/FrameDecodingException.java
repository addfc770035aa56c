package io.ferrymq.amqp.codec;

/**
 * Bytes from the peer that are not valid AMQP 0-9-1. The connection must close with {@link #replyCode()}
 * (all codes here are hard errors) and {@link #getMessage()} as reply-text; {@link #classId()} and
 * {@link #methodId()} name the offending method where it is known, and are 0 otherwise.
 *
 * <p>No stack trace is captured: a malformed frame is the peer's fault, not a bug here, and a peer that
 * sends many should not cost us stack walks.
 */
public final class FrameDecodingException extends RuntimeException {
    /** A frame that cannot be split from the stream or is malformed as a frame. */
    public static final int FRAME_ERROR = 501;
    /** A method or header whose arguments cannot be decoded. */
    public static final int SYNTAX_ERROR = 502;
    /**
     * A class or method id this broker does not know. The spec names no code for this case; 540 says most
     * plainly what happened. RabbitMQ's choice here has not been checked against a real broker.
     */
    public static final int NOT_IMPLEMENTED = 540;

    private final int replyCode;
    private final String detail;
    private final int channel;
    private final int classId;
    private final int methodId;

    public FrameDecodingException(int replyCode, String detail) {
        this(replyCode, detail, 0, 0, 0);
    }

    private FrameDecodingException(int replyCode, String detail, int channel, int classId, int methodId) {
        super(describe(detail, channel, classId, methodId), null, false, false);
        this.replyCode = replyCode;
        this.detail = detail;
        this.channel = channel;
        this.classId = classId;
        this.methodId = methodId;
    }

    static FrameDecodingException frameError(String detail) {
        return new FrameDecodingException(FRAME_ERROR, detail);
    }

    static FrameDecodingException syntaxError(String detail) {
        return new FrameDecodingException(SYNTAX_ERROR, detail);
    }

    static FrameDecodingException unknownMethod(int classId, int methodId) {
        return new FrameDecodingException(NOT_IMPLEMENTED, "no such method", 0, classId, methodId);
    }

    /** The same error, now known to concern the given method. */
    public FrameDecodingException inMethod(int newClassId, int newMethodId) {
        return new FrameDecodingException(replyCode, detail, channel, newClassId, newMethodId);
    }

    /** The same error, now known to concern the given channel. */
    public FrameDecodingException onChannel(int newChannel) {
        return new FrameDecodingException(replyCode, detail, newChannel, classId, methodId);
    }

    public int replyCode() {
        return replyCode;
    }

    public int channel() {
        return channel;
    }

    public int classId() {
        return classId;
    }

    public int methodId() {
        return methodId;
    }

    /** E.g. "unknown field-table value tag 0x55 for key 'x' (queue.declare on channel 3)". */
    private static String describe(String detail, int channel, int classId, int methodId) {
        if (classId == 0 && channel == 0) {
            return detail;
        }
        String method = classId != 0 ? MethodDecoder.methodName(classId, methodId) : "";
        String where = channel == 0 ? method : (method + " on channel " + channel).trim();
        return detail + " (" + where + ")";
    }
}
