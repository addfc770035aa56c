package io.ferrymq.it;

import static io.ferrymq.it.Amqp.expectChannelClose;
import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad failure-handling arguments are refused with 406 naming the argument, as RabbitMQ refuses them. */
class QueueArgumentsIT extends WithConnection {

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of("x-message-ttl", -1, "negative"),
                Arguments.of("x-message-ttl", "1000", "integer"),
                Arguments.of("x-expires", 0, "not positive"),
                Arguments.of("x-expires", true, "integer"),
                Arguments.of("x-dead-letter-exchange", 42, "string"),
                Arguments.of("x-max-length", -5, "negative"),
                Arguments.of("x-max-length-bytes", 1.5, "integer"),
                Arguments.of("x-overflow", "drop-tail", "unknown value"),
                Arguments.of("x-overflow", 1, "string"),
                Arguments.of("x-delivery-limit", -1, "negative"),
                Arguments.of("x-consumer-timeout", -1, "not positive"),
                Arguments.of("x-retry-delay", "soon", "integer"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badArguments")
    void aBadArgumentIsRefusedWith406NamingIt(String argument, Object value, String why) throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("bad");
        AMQP.Channel.Close close = expectChannelClose(ch, 406,
                () -> ch.queueDeclare(q, false, false, false, Map.of(argument, value)));
        assertThat(close.getReplyText())
                .startsWith("PRECONDITION_FAILED - invalid arg '" + argument + "'")
                .contains("queue '" + q + "' in vhost '/'")
                .contains(why);
        assertThat(Amqp.queueExists(conn, q)).isFalse();
    }

    @Test
    void aDeadLetterRoutingKeyNeedsAnExchange() throws Exception {
        Channel ch = conn.createChannel();
        AMQP.Channel.Close close = expectChannelClose(ch, 406, () -> ch.queueDeclare(unique("q"), false, false,
                false, Map.of("x-dead-letter-routing-key", "k")));
        assertThat(close.getReplyText()).contains("x-dead-letter-routing-key").contains("x-dead-letter-exchange");
    }

    @Test
    void goodArgumentsAreAcceptedAndARedeclareMustMatchThem() throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("good");
        Map<String, Object> args = Map.of("x-message-ttl", 1000, "x-max-length", 10, "x-overflow", "reject-publish",
                "x-dead-letter-exchange", "dlx", "x-delivery-limit", 3, "x-consumer-timeout", 60_000,
                "x-retry-delay", 100, "x-retry-multiplier", 2, "x-retry-max-delay", 1000, "x-expires", 600_000);
        ch.queueDeclare(q, false, false, false, args);
        ch.queueDeclare(q, false, false, false, args);
        Map<String, Object> otherTtl = new java.util.HashMap<>(args);
        otherTtl.put("x-message-ttl", 2000);
        AMQP.Channel.Close close = expectChannelClose(ch, 406,
                () -> ch.queueDeclare(q, false, false, false, otherTtl));
        assertThat(close.getReplyText()).contains("inequivalent arg 'x-message-ttl'");
    }

    @Test
    void aBadPerMessageExpirationIsRefused() throws Exception {
        Channel ch = conn.createChannel();
        String q = unique("q");
        ch.queueDeclare(q, false, false, false, null);
        AMQP.Channel.Close close = expectChannelClose(ch, 406, () -> {
            ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("soon").build(), new byte[0]);
            ch.queueDeclarePassive(q);
        });
        assertThat(close.getReplyText()).contains("invalid expiration 'soon'");
    }
}
