package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Properties over generated values, which jqwik shrinks to a minimal counterexample when one fails. */
class CodecPropertiesTest {

    @BeforeContainer
    static void installLeakCheck() {
        NettyLeakCheck.ensureInstalled();
    }

    @AfterContainer
    static void checkLeaks() {
        NettyLeakCheck.assertNoLeaks();
    }

    @Property
    void fieldTablesRoundTrip(@ForAll("tables") Map<String, Object> table) {
        assertThat(Normalized.of(FieldTableCodecTest.roundTrip(table))).isEqualTo(Normalized.of(table));
    }

    @Property
    void messagePropertiesRoundTrip(@ForAll("properties") MessageProperties properties,
            @ForAll @LongRange(min = 0) long bodySize) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameEncoder.writeHeader(buf, 5, 60, bodySize, properties);
            buf.skipBytes(FrameFormat.FRAME_HEADER_SIZE);
            HeaderFrame decoded = ContentHeaderDecoder.decode(5, buf.readSlice(buf.readableBytes() - 1));
            assertThat(Normalized.of(decoded)).isEqualTo(Normalized.of(new HeaderFrame(5, 60, bodySize, properties)));
        } finally {
            buf.release();
        }
    }

    @Property
    void arbitraryArgumentsOfARealMethodOnlyEverFailAsDecodingErrors(
            @ForAll @IntRange(min = 0, max = 65) int methodIndex, @ForAll @Size(max = 40) byte[] arguments) {
        AmqpMethod method = new RandomValues(methodIndex).method(RandomValues.METHOD_TYPES.get(methodIndex));
        ByteBuf payload = Unpooled.buffer().writeShort(method.classId()).writeShort(method.methodId())
                .writeBytes(arguments);
        try {
            MethodDecoder.decode(payload);
        } catch (FrameDecodingException expected) {
            assertThat(expected.classId()).isEqualTo(method.classId());
            assertThat(expected.replyCode()).isIn(FrameDecodingException.FRAME_ERROR,
                    FrameDecodingException.SYNTAX_ERROR);
        } finally {
            payload.release();
        }
    }

    @Property
    void randomBytesOnlyEverFailAsDecodingErrors(@ForAll @Size(max = 64) byte[] input,
            @ForAll @IntRange(min = 0, max = 64) int cut) {
        int[] cuts = cut > 0 && cut < input.length ? new int[] {cut} : new int[0];
        DecoderHarness.decode(new TrackingAllocator(true), FrameFormat.FRAME_MIN_SIZE, input, cuts);
    }

    @Provide
    Arbitrary<Map<String, Object>> tables() {
        return table(3);
    }

    @Provide
    Arbitrary<MessageProperties> properties() {
        Arbitrary<String> s = shortstrs().injectNull(0.4);
        Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255).injectNull(0.4);
        Arbitrary<Instant> timestamp = instants().injectNull(0.4);
        Arbitrary<Map<String, Object>> headers = table(2).injectNull(0.4);
        Arbitrary<MessageProperties> head = Combinators.combine(s, s, headers, octet, octet, s, s, s)
                .as((contentType, encoding, h, mode, priority, correlation, replyTo, expiration) ->
                        new MessageProperties(contentType, encoding, h, mode, priority, correlation, replyTo,
                                expiration, null, null, null, null, null, null));
        Arbitrary<MessageProperties> tail = Combinators.combine(s, timestamp, s, s, s, s)
                .as((messageId, ts, type, userId, appId, clusterId) -> new MessageProperties(null, null, null,
                        null, null, null, null, null, messageId, ts, type, userId, appId, clusterId));
        return Combinators.combine(head, tail).as((h, t) -> new MessageProperties(h.contentType(),
                h.contentEncoding(), h.headers(), h.deliveryMode(), h.priority(), h.correlationId(), h.replyTo(),
                h.expiration(), t.messageId(), t.timestamp(), t.type(), t.userId(), t.appId(), t.clusterId()));
    }

    private static Arbitrary<Map<String, Object>> table(int depth) {
        return Arbitraries.maps(shortstrs(), fieldValue(depth)).ofMaxSize(4);
    }

    /** Values that decode to an equal value: the decoder's own types, never String, Date or Object[]. */
    private static Arbitrary<Object> fieldValue(int depth) {
        Arbitrary<Object> scalars = Arbitraries.oneOf(List.of(
                Arbitraries.of(true, false).map(v -> v),
                Arbitraries.bytes().map(v -> v),
                Arbitraries.shorts().map(v -> v),
                Arbitraries.integers().map(v -> v),
                Arbitraries.longs().map(v -> v),
                Arbitraries.floats().map(v -> v),
                Arbitraries.doubles().map(v -> v),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
                        .as((unscaled, scale) -> (Object) BigDecimal.valueOf(unscaled, scale)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(LongString::wrap),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(v -> v),
                instants().map(v -> v),
                Arbitraries.just(null)));
        if (depth <= 1) {
            return scalars;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars),
                Tuple.of(1, table(depth - 1).map(v -> v)),
                Tuple.of(1, fieldValue(depth - 1).list().ofMaxSize(4).map(v -> v)));
    }

    /** Up to 40 chars from the Basic Multilingual Plane without surrogates: at most 120 octets of UTF-8. */
    private static Arbitrary<String> shortstrs() {
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(40);
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L).map(Instant::ofEpochSecond);
    }
}
