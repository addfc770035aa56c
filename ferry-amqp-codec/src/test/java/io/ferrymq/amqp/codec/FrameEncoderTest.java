package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicDeliver;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class FrameEncoderTest {
    private static final BasicDeliver DELIVER = new BasicDeliver("ctag", 7, false, "ex", "rk");

    @Test
    void writesTheProtocolHeaderHeartbeatAndMethodFrames() {
        assertThat(new String(FrameEncoder.PROTOCOL_HEADER, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("AMQP");
        assertThat(FrameEncoder.PROTOCOL_HEADER).endsWith(0, 0, 9, 1);
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameEncoder.writeHeartbeat(buf);
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("08" + "0000" + "00000000" + "ce");
            buf.clear();
            FrameEncoder.writeMethod(buf, 1, new BasicAck(5, true));
            assertThat(ByteBufUtil.hexDump(buf))
                    .isEqualTo("01" + "0001" + "0000000d" + "003c0050" + "0000000000000005" + "01" + "ce");
        } finally {
            buf.release();
        }
    }

    @Test
    void splitsTheBodyIntoFramesOfAtMostFrameMaxMinusEight() {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameEncoder.writeContent(buf, 2, DELIVER, MessageProperties.EMPTY, body, 8 + 4);
            skipFrame(buf, 1);
            skipFrame(buf, 2);
            assertThat(bodyFrame(buf)).isEqualTo("0123");
            assertThat(bodyFrame(buf)).isEqualTo("4567");
            assertThat(bodyFrame(buf)).isEqualTo("89");
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void writesNoBodyFrameForAnEmptyBody() {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameEncoder.writeContent(buf, 2, DELIVER, MessageProperties.EMPTY, new byte[0], 4096);
            skipFrame(buf, 1);
            skipFrame(buf, 2);
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void copiesAByteBufBodyWithoutConsumingOrReleasingIt() {
        ByteBuf body = Unpooled.copiedBuffer("xxhello", StandardCharsets.US_ASCII).skipBytes(2);
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameEncoder.writeContent(buf, 2, DELIVER, MessageProperties.EMPTY, body, 0);
            skipFrame(buf, 1);
            skipFrame(buf, 2);
            assertThat(bodyFrame(buf)).isEqualTo("hello");
            assertThat(body.readerIndex()).isEqualTo(2);
            assertThat(body.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
            body.release();
        }
    }

    @Test
    void refusesContentForMethodsWithoutContentAndTinyFrameMax() {
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> FrameEncoder.writeContent(buf, 1, new BasicAck(1, false),
                    MessageProperties.EMPTY, new byte[1], 4096)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> FrameEncoder.writeContent(buf, 1, new BasicPublish(0, "", "", false, false),
                    MessageProperties.EMPTY, new byte[1], 8)).isInstanceOf(IllegalArgumentException.class);
            assertThat(buf.writerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    private static void skipFrame(ByteBuf buf, int type) {
        assertThat(buf.readUnsignedByte()).isEqualTo((short) type);
        buf.skipBytes(2);
        buf.skipBytes(buf.readInt());
        assertThat(buf.readUnsignedByte()).isEqualTo((short) 0xce);
    }

    private static String bodyFrame(ByteBuf buf) {
        assertThat(buf.readUnsignedByte()).isEqualTo((short) 3);
        assertThat(buf.readUnsignedShort()).isEqualTo(2);
        String payload = buf.readCharSequence(buf.readInt(), StandardCharsets.US_ASCII).toString();
        assertThat(buf.readUnsignedByte()).isEqualTo((short) 0xce);
        return payload;
    }
}
