package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class ContentHeaderCodecTest {
    private static final MessageProperties ALL = new MessageProperties("application/json", "gzip",
            Map.of("x-trace", LongString.of("abc"), "n", 1, "nested", Map.of("list", List.of(true))), 2, 9,
            "corr-1", "amq.rabbitmq.reply-to", "60000", "msg-1", Instant.ofEpochSecond(1_700_000_000L), "order",
            "guest", "shop", "cluster-a");

    @Test
    void roundTripsAllFourteenProperties() {
        HeaderFrame decoded = roundTrip(ALL, 12345);
        assertThat(decoded).isEqualTo(new HeaderFrame(3, 60, 12345, ALL));
        assertThat(decoded.properties().persistent()).isTrue();
    }

    @Test
    void roundTripsNoPropertiesAsEmptyFlags() {
        assertThat(encode(MessageProperties.EMPTY, 0)).isEqualTo("003c" + "0000" + "0000000000000000" + "0000");
        assertThat(roundTrip(MessageProperties.EMPTY, 0).properties()).isSameAs(MessageProperties.EMPTY);
        assertThat(encode(null, 0)).isEqualTo(encode(MessageProperties.EMPTY, 0));
    }

    @Test
    void writesFlagsFromBit15InPropertyOrder() {
        MessageProperties p = new MessageProperties("t", null, null, 2, null, null, null, null, null, null, null,
                null, null, "c");
        // content-type is bit 15, delivery-mode bit 12, cluster-id bit 2.
        assertThat(encode(p, 7)).isEqualTo("003c" + "0000" + "0000000000000007" + "9004" + "0174" + "02" + "0163");
    }

    @Test
    void refusesOctetPropertiesOutOfRange() {
        MessageProperties p = new MessageProperties(null, null, null, 256, null, null, null, null, null, null, null,
                null, null, null);
        assertThatThrownBy(() -> encode(p, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery-mode");
    }

    @Test
    void refusesHeadersForOtherClassesTrailingOctetsAndUnknownFlags() {
        assertDecodeFails("000a" + "0000" + "0000000000000000" + "0000", FrameDecodingException.FRAME_ERROR);
        assertDecodeFails("003c" + "0000" + "0000000000000000" + "0000" + "00", FrameDecodingException.FRAME_ERROR);
        assertDecodeFails("003c" + "0000" + "00000000000000", FrameDecodingException.FRAME_ERROR);
        assertDecodeFails("003c" + "0000" + "8000000000000000" + "0000", FrameDecodingException.SYNTAX_ERROR);
        assertDecodeFails("003c" + "0000" + "0000000000000000" + "0002", FrameDecodingException.SYNTAX_ERROR);
        assertDecodeFails("003c" + "0000" + "0000000000000000" + "0001" + "0100", FrameDecodingException.SYNTAX_ERROR);
        assertDecodeFails("003c" + "0000" + "0000000000000000" + "0040" + "7fffffffffffffff",
                FrameDecodingException.SYNTAX_ERROR);
    }

    @Test
    void acceptsAnEmptyContinuationFlagsWord() {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("003c0000000000000000000580010000" + "0178"));
        try {
            HeaderFrame frame = ContentHeaderDecoder.decode(1, buf);
            assertThat(frame.properties().contentType()).isEqualTo("x");
            assertThat(frame.bodySize()).isEqualTo(5);
        } finally {
            buf.release();
        }
    }

    private static void assertDecodeFails(String hex, int replyCode) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            assertThatThrownBy(() -> ContentHeaderDecoder.decode(4, buf))
                    .isInstanceOfSatisfying(FrameDecodingException.class, e -> {
                        assertThat(e.replyCode()).isEqualTo(replyCode);
                        assertThat(e.channel()).isEqualTo(4);
                    });
        } finally {
            buf.release();
        }
    }

    private static String encode(MessageProperties properties, long bodySize) {
        ByteBuf buf = Unpooled.buffer();
        try {
            ContentHeaderEncoder.write(buf, 60, bodySize, properties);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static HeaderFrame roundTrip(MessageProperties properties, long bodySize) {
        ByteBuf buf = Unpooled.buffer();
        try {
            ContentHeaderEncoder.write(buf, 60, bodySize, properties);
            return ContentHeaderDecoder.decode(3, buf);
        } finally {
            buf.release();
        }
    }
}
