package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrymq.common.message.LongString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class FieldTableCodecTest {

    @Test
    void everyWritableTypeRoundTripsIncludingNestedTablesAndArrays() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("deep", List.of(1, List.of(LongString.of("x"), Map.of("k", true))));
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("bool", true);
        table.put("byte", (byte) -7);
        table.put("short", (short) -300);
        table.put("int", Integer.MIN_VALUE);
        table.put("long", Long.MAX_VALUE);
        table.put("float", 1.5f);
        table.put("double", -2.25e100);
        table.put("decimal", new BigDecimal("-123.4567"));
        table.put("longstr", LongString.of(new byte[] {0, (byte) 0xff, 'a'}));
        table.put("bytes", new byte[] {1, 2, 3});
        table.put("array", Arrays.asList(1, null, "", 2L));
        table.put("timestamp", Instant.ofEpochSecond(1_700_000_000L));
        table.put("table", inner);
        table.put("void", null);
        table.put("", "empty key");

        Map<String, Object> expected = new LinkedHashMap<>(table);
        expected.put("array", Arrays.asList(1, null, LongString.of(""), 2L));
        expected.put("", LongString.of("empty key"));
        assertThat(Normalized.of(roundTrip(table))).isEqualTo(Normalized.of(expected));
    }

    @Test
    void writesOnlyTagsRabbitMqJavaClientReads() {
        assertThat(tagOf(true)).isEqualTo('t');
        assertThat(tagOf((byte) 1)).isEqualTo('b');
        assertThat(tagOf((short) 1)).isEqualTo('s');
        assertThat(tagOf(1)).isEqualTo('I');
        assertThat(tagOf(1L)).isEqualTo('l');
        assertThat(tagOf(1f)).isEqualTo('f');
        assertThat(tagOf(1d)).isEqualTo('d');
        assertThat(tagOf(BigDecimal.ONE)).isEqualTo('D');
        assertThat(tagOf("s")).isEqualTo('S');
        assertThat(tagOf(LongString.of("s"))).isEqualTo('S');
        assertThat(tagOf(new byte[0])).isEqualTo('x');
        assertThat(tagOf(List.of())).isEqualTo('A');
        assertThat(tagOf(new Object[0])).isEqualTo('A');
        assertThat(tagOf(Instant.EPOCH)).isEqualTo('T');
        assertThat(tagOf(new Date(0))).isEqualTo('T');
        assertThat(tagOf(Map.of())).isEqualTo('F');
        assertThat(tagOf(null)).isEqualTo('V');
    }

    @Test
    void convertsJavaTypesWithoutATagOfTheirOwn() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("string", "héllo");
        table.put("objects", new Object[] {"a", 1});
        table.put("date", new Date(1_700_000_000_999L));
        table.put("instant", Instant.ofEpochSecond(5, 999_999_999));
        table.put("negativeScale", new BigDecimal("1E+3"));
        Map<String, Object> decoded = roundTrip(table);
        assertThat(decoded.get("string")).isEqualTo(LongString.of("héllo"));
        assertThat(decoded.get("objects")).isEqualTo(List.of(LongString.of("a"), 1));
        assertThat(decoded.get("date")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(decoded.get("instant")).isEqualTo(Instant.ofEpochSecond(5));
        assertThat(decoded.get("negativeScale")).isEqualTo(new BigDecimal("1000"));
    }

    @Test
    void decodesEveryTagTheRabbitMqBrokerParses() {
        Map<String, Object> decoded = decode(b -> {
            entry(b, "t", 't').writeByte(2);
            entry(b, "b", 'b').writeByte(-1);
            entry(b, "B", 'B').writeByte(0xff);
            entry(b, "s", 's').writeShort(-2);
            entry(b, "u", 'u').writeShort(0xffff);
            entry(b, "I", 'I').writeInt(-3);
            entry(b, "i", 'i').writeInt(0xffffffff);
            entry(b, "l", 'l').writeLong(-4);
            entry(b, "L", 'L').writeLong(-5);
            entry(b, "f", 'f').writeFloat(0.5f);
            entry(b, "d", 'd').writeDouble(0.25);
            entry(b, "D", 'D').writeByte(2).writeInt(-12345);
            entry(b, "S", 'S').writeInt(2).writeByte('h').writeByte('i');
            entry(b, "x", 'x').writeInt(1).writeByte(9);
            entry(b, "A", 'A').writeInt(6).writeByte('I').writeInt(6).writeByte('V');
            entry(b, "T", 'T').writeLong(86_400);
            entry(b, "F", 'F').writeInt(0);
            entry(b, "V", 'V');
        });
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("t", true);
        expected.put("b", (byte) -1);
        expected.put("B", (short) 255);
        expected.put("s", (short) -2);
        expected.put("u", 65535);
        expected.put("I", -3);
        expected.put("i", 4294967295L);
        expected.put("l", -4L);
        expected.put("L", -5L);
        expected.put("f", 0.5f);
        expected.put("d", 0.25);
        expected.put("D", new BigDecimal("-123.45"));
        expected.put("S", LongString.of("hi"));
        expected.put("x", new byte[] {9});
        expected.put("A", Arrays.asList(6, null));
        expected.put("T", Instant.ofEpochSecond(86_400));
        expected.put("F", Map.of());
        expected.put("V", null);
        assertThat(Normalized.of(decoded)).isEqualTo(Normalized.of(expected));
        assertThat(((List<?>) decoded.get("A")).get(0)).isInstanceOf(Integer.class);
        assertThat(decoded).isInstanceOf(LinkedHashMap.class);
        assertThat(decoded.keySet()).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void keepsTheFirstOfDuplicateKeysEvenWhenItIsVoid() {
        Map<String, Object> decoded = decode(b -> {
            entry(b, "a", 'I').writeInt(1);
            entry(b, "v", 'V');
            entry(b, "a", 'I').writeInt(2);
            entry(b, "v", 'I').writeInt(3);
        });
        assertThat(decoded).containsEntry("a", 1).containsEntry("v", null).hasSize(2);
    }

    @Test
    void refusesUnknownTagsWithSyntaxError() {
        assertThatThrownBy(() -> decode(b -> entry(b, "key", 'U').writeShort(1)))
                .isInstanceOfSatisfying(FrameDecodingException.class,
                        e -> assertThat(e.replyCode()).isEqualTo(FrameDecodingException.SYNTAX_ERROR))
                .hasMessageContaining("0x55").hasMessageContaining("'key'");
    }

    @Test
    void refusesLengthsRunningPastTheirTable() {
        assertThatThrownBy(() -> decode(b -> entry(b, "s", 'S').writeInt(1000).writeByte('x')))
                .isInstanceOfSatisfying(FrameDecodingException.class,
                        e -> assertThat(e.replyCode()).isEqualTo(FrameDecodingException.SYNTAX_ERROR));
        assertThatThrownBy(() -> decode(b -> entry(b, "i", 'I').writeShort(1)))
                .isInstanceOfSatisfying(FrameDecodingException.class,
                        e -> assertThat(e.replyCode()).isEqualTo(FrameDecodingException.SYNTAX_ERROR));
        ByteBuf truncated = Unpooled.buffer().writeInt(100).writeByte(1);
        try {
            assertThatThrownBy(() -> FieldTableCodec.read(truncated))
                    .isInstanceOfSatisfying(FrameDecodingException.class,
                            e -> assertThat(e.replyCode()).isEqualTo(FrameDecodingException.SYNTAX_ERROR));
        } finally {
            truncated.release();
        }
    }

    @Test
    void refusesTablesNestedDeeperThan32LevelsWithoutOverflowingTheStack() {
        assertThat(decodeNested(FieldTableCodec.MAX_DEPTH)).isNotNull();
        for (int depth : new int[] {FieldTableCodec.MAX_DEPTH + 1, 100_000}) {
            assertThatThrownBy(() -> decodeNested(depth))
                    .isInstanceOfSatisfying(FrameDecodingException.class,
                            e -> assertThat(e.replyCode()).isEqualTo(FrameDecodingException.SYNTAX_ERROR))
                    .hasMessageContaining("32 levels");
        }
    }

    @Test
    void refusesToWriteUnsupportedValuesNamingTheKeyAndLeavesTheBufferAsItWas() {
        assertWriteFails(Map.of("x-char", 'c'), "x-char");
        assertWriteFails(Map.of("x-list", List.of(1, new Object())), "x-list");
        assertWriteFails(Map.of("x-dec", new BigDecimal("2147483648")), "x-dec");
        assertWriteFails(Map.of("x-scale", BigDecimal.valueOf(1, 256)), "x-scale");
        assertWriteFails(Map.of("k".repeat(256), 1), "field-table key");
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        assertWriteFails(cyclic, "self");
    }

    @Test
    void writesDecimalsAtTheEdgesOfASigned32BitUnscaledValue() {
        Map<String, Object> table = Map.of("min", BigDecimal.valueOf(Integer.MIN_VALUE, 255),
                "max", BigDecimal.valueOf(Integer.MAX_VALUE, 0));
        assertThat(roundTrip(table)).isEqualTo(table);
    }

    @Test
    void writesTheLengthPrefixedWireFormat() {
        ByteBuf buf = Unpooled.buffer();
        try {
            FieldTableCodec.write(buf, Map.of("a", 1));
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("00000007" + "0161" + "49" + "00000001");
            buf.clear();
            FieldTableCodec.write(buf, null);
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("00000000");
        } finally {
            buf.release();
        }
    }

    private static void assertWriteFails(Map<String, ?> table, String named) {
        ByteBuf buf = Unpooled.buffer().writeByte(42);
        try {
            assertThatThrownBy(() -> FieldTableCodec.write(buf, table))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(named);
            assertThat(buf.writerIndex()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    /** A table holding a table holding ... {@code depth} tables in all, built iteratively. */
    private static Map<String, Object> decodeNested(int depth) {
        ByteBuf buf = Unpooled.buffer(depth * 8);
        try {
            // Each level is: u32 length, shortstr "n", tag 'F', then the next level; the innermost is empty.
            for (int level = 0; level < depth; level++) {
                int remainingLevels = depth - level - 1;
                buf.writeInt(remainingLevels * 7);
                if (remainingLevels > 0) {
                    buf.writeByte(1).writeByte('n').writeByte('F');
                }
            }
            return FieldTableCodec.read(buf);
        } finally {
            buf.release();
        }
    }

    private static ByteBuf entry(ByteBuf buf, String key, char tag) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        return buf.writeByte(name.length).writeBytes(name).writeByte(tag);
    }

    private static Map<String, Object> decode(Consumer<ByteBuf> entries) {
        ByteBuf body = Unpooled.buffer();
        ByteBuf table = Unpooled.buffer();
        try {
            entries.accept(body);
            table.writeInt(body.readableBytes()).writeBytes(body);
            Map<String, Object> decoded = FieldTableCodec.read(table);
            assertThat(table.isReadable()).isFalse();
            return decoded;
        } finally {
            body.release();
            table.release();
        }
    }

    private static char tagOf(Object value) {
        Map<String, Object> table = new HashMap<>();
        table.put("k", value);
        ByteBuf buf = Unpooled.buffer();
        try {
            FieldTableCodec.write(buf, table);
            return (char) buf.getByte(4 + 2);
        } finally {
            buf.release();
        }
    }

    static Map<String, Object> roundTrip(Map<String, ?> table) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FieldTableCodec.write(buf, table);
            Map<String, Object> decoded = FieldTableCodec.read(buf);
            assertThat(buf.isReadable()).isFalse();
            return decoded;
        } finally {
            buf.release();
        }
    }
}
