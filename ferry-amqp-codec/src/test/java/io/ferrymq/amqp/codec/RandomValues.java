package io.ferrymq.amqp.codec;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random values of every kind the codec carries, restricted to values that decode to an equal value
 * (e.g. LongString rather than String, whole-second Instants).
 */
final class RandomValues {
    /** Every method record, from the sealed interface itself so a new method cannot be missed. */
    @SuppressWarnings("unchecked")
    static final List<Class<? extends AmqpMethod>> METHOD_TYPES = Arrays.stream(
                    AmqpMethod.class.getPermittedSubclasses())
            .<Class<? extends AmqpMethod>>map(c -> (Class<? extends AmqpMethod>) c)
            .toList();

    // int components narrower than the u32 default, by name: the records do not carry wire widths.
    private static final Set<String> OCTETS = Set.of("versionMajor", "versionMinor");
    private static final Set<String> SHORTS = Set.of("ticket", "channelMax", "heartbeat", "replyCode",
            "failingClassId", "failingMethodId", "prefetchCount");
    private static final String ALPHABET = "abcXYZ019.-_/ #*éß€中文😀";

    private final Random random;

    RandomValues(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    AmqpMethod method(Class<? extends AmqpMethod> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = component(components[i]);
        }
        try {
            Constructor<? extends AmqpMethod> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot build " + type.getSimpleName(), e);
        }
    }

    AmqpMethod anyMethod() {
        return method(METHOD_TYPES.get(random.nextInt(METHOD_TYPES.size())));
    }

    private Object component(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == int.class) {
            String name = component.getName();
            return OCTETS.contains(name) ? random.nextInt(256)
                    : SHORTS.contains(name) ? random.nextInt(65536) : random.nextInt();
        } else if (type == long.class) {
            return random.nextLong();
        } else if (type == boolean.class) {
            return random.nextBoolean();
        } else if (type == String.class) {
            return shortString();
        } else if (type == LongString.class) {
            return LongString.wrap(bytes(40));
        } else if (type == Map.class) {
            return table(2);
        }
        throw new AssertionError("no generator for " + type);
    }

    /** Up to 40 code points: at most 160 octets of UTF-8, so always a valid shortstr. */
    String shortString() {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(41);
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
                    random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return s.toString();
    }

    byte[] bytes(int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    Map<String, Object> table(int depth) {
        Map<String, Object> table = new LinkedHashMap<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            table.put(shortString(), fieldValue(depth));
        }
        return table;
    }

    /** A value of any decodable type; containers only while {@code depth} is positive. */
    Object fieldValue(int depth) {
        int kinds = depth > 0 ? 17 : 15;
        return switch (random.nextInt(kinds)) {
            case 0 -> random.nextBoolean();
            case 1 -> (byte) random.nextInt();
            case 2 -> (short) random.nextInt();
            case 3 -> random.nextInt();
            case 4 -> random.nextLong();
            case 5 -> random.nextFloat();
            case 6 -> random.nextDouble() * 1e6;
            case 7 -> BigDecimal.valueOf(random.nextInt(), random.nextInt(256));
            case 8 -> LongString.wrap(shortString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case 9 -> LongString.wrap(bytes(20));
            case 10 -> bytes(20);
            case 11 -> Instant.ofEpochSecond(random.nextInt() & 0xffffffffL);
            case 12 -> null;
            case 13 -> Integer.MIN_VALUE;
            case 14 -> Long.MAX_VALUE;
            case 15 -> table(depth - 1);
            default -> array(depth - 1);
        };
    }

    List<Object> array(int depth) {
        List<Object> array = new ArrayList<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            array.add(fieldValue(depth));
        }
        return array;
    }

    /** Properties with each one present or absent at random. */
    MessageProperties properties() {
        return new MessageProperties(
                maybe(this::shortString),
                maybe(this::shortString),
                maybe(() -> table(2)),
                maybe(() -> random.nextInt(256)),
                maybe(() -> random.nextInt(256)),
                maybe(this::shortString),
                maybe(this::shortString),
                maybe(() -> Integer.toString(random.nextInt(1_000_000))),
                maybe(this::shortString),
                maybe(() -> Instant.ofEpochSecond(random.nextInt() & 0xffffffffL)),
                maybe(this::shortString),
                maybe(this::shortString),
                maybe(this::shortString),
                maybe(this::shortString));
    }

    private <T> T maybe(java.util.function.Supplier<T> value) {
        return random.nextBoolean() ? value.get() : null;
    }
}
