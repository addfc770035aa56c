package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicGetOk;
import io.ferrymq.amqp.codec.method.BasicNack;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.BasicRecover;
import io.ferrymq.amqp.codec.method.BasicRecoverAsync;
import io.ferrymq.amqp.codec.method.ChannelClose;
import io.ferrymq.amqp.codec.method.ConfirmSelect;
import io.ferrymq.amqp.codec.method.ConnectionBlocked;
import io.ferrymq.amqp.codec.method.ConnectionTune;
import io.ferrymq.amqp.codec.method.ConnectionUpdateSecretOk;
import io.ferrymq.amqp.codec.method.ExchangeUnbindOk;
import io.ferrymq.amqp.codec.method.QueueDeclare;
import io.ferrymq.amqp.codec.method.QueueDeclareOk;
import io.ferrymq.amqp.codec.method.TxSelect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class MethodCodecTest {
    private static final int ROUNDS_PER_METHOD = 50;

    @Test
    void everyMethodOfEveryClassHasARecord() {
        assertThat(RandomValues.METHOD_TYPES).hasSize(66);
        Set<String> names = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        RandomValues values = new RandomValues(1);
        for (Class<? extends AmqpMethod> type : RandomValues.METHOD_TYPES) {
            AmqpMethod method = values.method(type);
            names.add(method.name());
            ids.add(method.classId() << 16 | method.methodId());
            assertThat(MethodDecoder.methodName(method.classId(), method.methodId())).isEqualTo(method.name());
        }
        assertThat(names).hasSize(66);
        assertThat(ids).hasSize(66);
    }

    @Test
    void everyMethodRoundTrips() {
        RandomValues values = new RandomValues(42);
        for (Class<? extends AmqpMethod> type : RandomValues.METHOD_TYPES) {
            for (int round = 0; round < ROUNDS_PER_METHOD; round++) {
                AmqpMethod method = values.method(type);
                ByteBuf buf = Unpooled.buffer();
                try {
                    MethodEncoder.write(buf, method);
                    AmqpMethod decoded = MethodDecoder.decode(buf);
                    assertThat(Normalized.of(decoded)).as(method.name()).isEqualTo(Normalized.of(method));
                    assertThat(buf.isReadable()).isFalse();
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void idsAndFlagsFollowTheSpecAndRabbitMqExtensions() {
        assertThat(ids(new ExchangeUnbindOk())).isEqualTo("40/51 exchange.unbind-ok");
        assertThat(ids(new BasicRecoverAsync(false))).isEqualTo("60/100 basic.recover-async");
        assertThat(ids(new BasicRecover(false))).isEqualTo("60/110 basic.recover");
        assertThat(ids(new BasicNack(1, false, true))).isEqualTo("60/120 basic.nack");
        assertThat(ids(new ConfirmSelect(false))).isEqualTo("85/10 confirm.select");
        assertThat(ids(new ConnectionBlocked("low memory"))).isEqualTo("10/60 connection.blocked");
        assertThat(ids(ConnectionUpdateSecretOk.INSTANCE)).isEqualTo("10/71 connection.update-secret-ok");

        BasicPublish publish = new BasicPublish(0, "ex", "rk", false, false);
        assertThat(publish.hasContent()).isTrue();
        assertThat(publish.synchronous()).isFalse();
        assertThat(new BasicGetOk(1, false, "", "", 0).hasContent()).isTrue();
        assertThat(new QueueDeclare(0, "q", false, false, false, false, false, null).synchronous()).isTrue();
        assertThat(new QueueDeclareOk("q", 0, 0).synchronous()).isFalse();
        assertThat(TxSelect.INSTANCE.synchronous()).isTrue();
    }

    @Test
    void closeMethodsNameTheFailingMethodWithoutClashingWithTheirOwnIds() {
        ChannelClose close = new ChannelClose(404, "NOT_FOUND - no queue 'q'", 50, 10);
        assertThat(close.classId()).isEqualTo(20);
        assertThat(close.methodId()).isEqualTo(40);
        assertThat(close.failingClassId()).isEqualTo(50);
        assertThat(close.failingMethodId()).isEqualTo(10);
    }

    @Test
    void encodesTheWireFormatByteForByte() {
        // Bits pack from the least significant bit: durable is bit 1, auto-delete bit 3.
        assertThat(hex(new QueueDeclare(0, "q", false, true, false, true, false, null)))
                .isEqualTo("0032000a" + "0000" + "0171" + "0a" + "00000000");
        assertThat(hex(new BasicPublish(0, "ex", "rk", true, false)))
                .isEqualTo("003c0028" + "0000" + "026578" + "02726b" + "01");
        assertThat(hex(new ConnectionTune(2047, 131072, 60))).isEqualTo("000a001e" + "07ff" + "00020000" + "003c");
        assertThat(hex(new ExchangeUnbindOk())).isEqualTo("00280033");
    }

    @Test
    void nullTablesAndStringsEncodeAsEmpty() {
        QueueDeclare declare = new QueueDeclare(0, null, false, false, false, false, false, null);
        assertThat(declare.arguments()).isEmpty();
        assertThat(hex(declare)).isEqualTo("0032000a" + "0000" + "00" + "00" + "00000000");
    }

    @Test
    void u32FieldsAboveIntMaxReadAsNegativeInts() {
        ByteBuf buf = Unpooled.buffer().writeShort(50).writeShort(11).writeByte(1).writeByte('q')
                .writeInt(0xFFFFFFFF).writeInt(0x80000000);
        try {
            assertThat(MethodDecoder.decode(buf)).isEqualTo(new QueueDeclareOk("q", -1, Integer.MIN_VALUE));
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesShortstrsOverLongerThan255OctetsAndLeavesTheBufferAsItWas() {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameEncoder.writeHeartbeat(buf);
            // 85 three-octet characters are exactly 255 octets; one more is too many though only 86 chars.
            FrameEncoder.writeMethod(buf, 1, new BasicPublish(0, "€".repeat(85), "", false, false));
            int written = buf.writerIndex();
            assertThatThrownBy(() -> FrameEncoder.writeMethod(buf, 1,
                    new BasicPublish(0, "€".repeat(86), "", false, false)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("basic.publish exchange");
            assertThatThrownBy(() -> FrameEncoder.writeMethod(buf, 1,
                    new BasicPublish(0, "", "k".repeat(256), false, false)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("basic.publish routing-key");
            assertThat(buf.writerIndex()).isEqualTo(written);
        } finally {
            buf.release();
        }
    }

    private static String ids(AmqpMethod method) {
        return method.classId() + "/" + method.methodId() + " " + method.name();
    }

    private static String hex(AmqpMethod method) {
        ByteBuf buf = Unpooled.buffer();
        try {
            MethodEncoder.write(buf, method);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }
}
