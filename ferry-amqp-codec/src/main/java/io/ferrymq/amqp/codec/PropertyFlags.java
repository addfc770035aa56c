package io.ferrymq.amqp.codec;

/**
 * Bits of a content header's property-flags word for class basic: bit 15 is the first property. Bit 0 would
 * announce another flags word, which basic's fourteen properties never need.
 */
final class PropertyFlags {
    static final int CONTENT_TYPE = 1 << 15;
    static final int CONTENT_ENCODING = 1 << 14;
    static final int HEADERS = 1 << 13;
    static final int DELIVERY_MODE = 1 << 12;
    static final int PRIORITY = 1 << 11;
    static final int CORRELATION_ID = 1 << 10;
    static final int REPLY_TO = 1 << 9;
    static final int EXPIRATION = 1 << 8;
    static final int MESSAGE_ID = 1 << 7;
    static final int TIMESTAMP = 1 << 6;
    static final int TYPE = 1 << 5;
    static final int USER_ID = 1 << 4;
    static final int APP_ID = 1 << 3;
    static final int CLUSTER_ID = 1 << 2;
    static final int UNUSED = 1 << 1;
    static final int CONTINUATION = 1;

    private PropertyFlags() {
    }
}
