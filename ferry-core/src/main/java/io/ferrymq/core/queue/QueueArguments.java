package io.ferrymq.core.queue;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.exchange.FieldEquality;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The failure-handling arguments of a queue, read and checked once when it is declared. A limit that was not
 * given is {@link #NONE}. RabbitMQ's names and rules where RabbitMQ has the argument; the {@code x-retry-*}
 * arguments are FerryMQ's own (see docs/FAILURE-HANDLING.md).
 *
 * @param messageTtl           {@code x-message-ttl}: ms a message may stay in the queue
 * @param expires              {@code x-expires}: ms the queue may stay unused before it is deleted
 * @param deadLetterExchange   {@code x-dead-letter-exchange}, or null
 * @param deadLetterRoutingKey {@code x-dead-letter-routing-key}, or null (keep the message's own key)
 * @param maxLength            {@code x-max-length}: ready messages
 * @param maxLengthBytes       {@code x-max-length-bytes}: body bytes of the ready messages
 * @param deliveryLimit        {@code x-delivery-limit}: failed deliveries allowed before dead-lettering
 * @param consumerTimeout      {@code x-consumer-timeout}: ms a delivery may stay unacknowledged
 * @param retryDelay           {@code x-retry-delay}: ms before a failed delivery is offered again
 * @param retryMultiplier      {@code x-retry-multiplier}: each further failure multiplies the delay by this
 * @param retryMaxDelay        {@code x-retry-max-delay}: the delay never exceeds this
 */
public record QueueArguments(long messageTtl, long expires, String deadLetterExchange, String deadLetterRoutingKey,
                             long maxLength, long maxLengthBytes, Overflow overflow, long deliveryLimit,
                             long consumerTimeout, long retryDelay, double retryMultiplier, long retryMaxDelay) {
    public static final long NONE = -1;
    public static final QueueArguments DEFAULTS = new QueueArguments(NONE, NONE, null, null, NONE, NONE,
            Overflow.DROP_HEAD, NONE, NONE, NONE, 1.0, NONE);

    public boolean deadLetters() {
        return deadLetterExchange != null;
    }

    public boolean hasLengthLimit() {
        return maxLength != NONE || maxLengthBytes != NONE;
    }

    public boolean retries() {
        return retryDelay != NONE;
    }

    /**
     * Reads the arguments of a queue being declared.
     *
     * @throws BrokerException PRECONDITION_FAILED naming the first bad argument, as RabbitMQ does
     */
    public static QueueArguments of(QueueSettings settings) {
        return new Reader(settings).read();
    }

    /** Reads one declaration's arguments; the error texts name the queue. */
    private static final class Reader {
        private final QueueSettings settings;
        private final Map<String, Object> arguments;

        Reader(QueueSettings settings) {
            this.settings = settings;
            this.arguments = settings.arguments();
        }

        QueueArguments read() {
            long ttl = nonNegative("x-message-ttl");
            long expires = positive("x-expires");
            String dlx = string("x-dead-letter-exchange");
            String dlrk = string("x-dead-letter-routing-key");
            if (dlrk != null && dlx == null) {
                throw invalid("x-dead-letter-routing-key", "it needs x-dead-letter-exchange too");
            }
            long maxLength = nonNegative("x-max-length");
            long maxLengthBytes = nonNegative("x-max-length-bytes");
            Overflow overflow = overflow();
            long deliveryLimit = nonNegative("x-delivery-limit");
            long consumerTimeout = positive("x-consumer-timeout");
            long retryDelay = positive("x-retry-delay");
            double multiplier = multiplier();
            long retryMaxDelay = positive("x-retry-max-delay");
            if (retryDelay == NONE && (arguments.containsKey("x-retry-multiplier") || retryMaxDelay != NONE)) {
                throw invalid(retryMaxDelay != NONE ? "x-retry-max-delay" : "x-retry-multiplier",
                        "it needs x-retry-delay too");
            }
            if (retryMaxDelay != NONE && retryMaxDelay < retryDelay) {
                throw invalid("x-retry-max-delay", retryMaxDelay + " is below x-retry-delay " + retryDelay);
            }
            return new QueueArguments(ttl, expires, dlx, dlrk, maxLength, maxLengthBytes, overflow, deliveryLimit,
                    consumerTimeout, retryDelay, multiplier, retryMaxDelay);
        }

        private long nonNegative(String name) {
            return atLeast(name, 0, "is negative; use 0 or more");
        }

        private long positive(String name) {
            return atLeast(name, 1, "is not positive; use 1 or more");
        }

        private long atLeast(String name, long min, String why) {
            if (arguments.get(name) == null) {
                return NONE;
            }
            long value = integer(name);
            if (value < min) {
                throw invalid(name, value + " " + why);
            }
            return value;
        }

        private long integer(String name) {
            Object value = arguments.get(name);
            return FieldValues.asLong(value).orElseThrow(() -> invalid(name, "it must be an integer, not "
                    + typeOf(value)));
        }

        private String string(String name) {
            Object value = arguments.get(name);
            if (value == null) {
                return null;
            }
            return FieldValues.asString(value).orElseThrow(() -> invalid(name, "it must be a string, not "
                    + typeOf(value)));
        }

        private Overflow overflow() {
            String name = string("x-overflow");
            if (name == null) {
                return Overflow.DROP_HEAD;
            }
            return Overflow.byName(name).orElseThrow(() -> invalid("x-overflow", "unknown value '" + name
                    + "'; use one of " + Arrays.stream(Overflow.values()).map(Overflow::wireName)
                    .collect(Collectors.joining(", "))));
        }

        private double multiplier() {
            Object value = arguments.get("x-retry-multiplier");
            if (value == null) {
                return 1.0;
            }
            double multiplier;
            if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
                multiplier = ((Number) value).doubleValue();
            } else {
                multiplier = FieldValues.asLong(value).orElseThrow(() -> invalid("x-retry-multiplier",
                        "it must be a number, not " + typeOf(value)));
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw invalid("x-retry-multiplier", multiplier + " is below 1; use 1 (a fixed delay) or more");
            }
            return multiplier;
        }

        private BrokerException invalid(String name, String why) {
            return new BrokerException(Condition.PRECONDITION_FAILED, "invalid arg '" + name + "' "
                    + FieldEquality.render(arguments.get(name)) + " for " + settings.describe() + ": " + why);
        }

        private static String typeOf(Object value) {
            return value.getClass().getSimpleName();
        }
    }
}
