package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.MessageProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delayed-message exchange of RabbitMQ's plugin ({@code x-delayed-message}, {@code x-delayed-type},
 * {@code x-delay}), end to end with the Java client. The exact timing is unit-tested on a fake clock
 * (DelayedExchangeTest); here: never before the delay, and then it does come, in order.
 */
class DelayedExchangeIT extends WithChannel {

    private String delayedExchange(String routingType) throws Exception {
        String x = unique("delayed");
        ch.exchangeDeclare(x, "x-delayed-message", false, true, Map.of("x-delayed-type", routingType));
        return x;
    }

    private static AMQP.BasicProperties delay(Object delay) {
        Map<String, Object> headers = new HashMap<>();
        if (delay != null) {
            headers.put("x-delay", delay);
        }
        headers.put("kind", "delayed");
        return new AMQP.BasicProperties.Builder().headers(headers).build();
    }

    private String boundQueue(String exchange, String key, Map<String, Object> arguments) throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, exchange, key, arguments);
        return q;
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "fanout", "topic", "headers"})
    void eachRoutingTypeRoutesTheMessageOnceItsDelayEnds(String routingType) throws Exception {
        String x = delayedExchange(routingType);
        String q = boundQueue(x, routingType.equals("topic") ? "orders.*" : "orders.new",
                routingType.equals("headers") ? Map.of("x-match", "all", "kind", "delayed") : null);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, true, recorder);
        long published = System.nanoTime();
        ch.basicPublish(x, "orders.new", delay(300), utf8("later"));
        Delivery delivery = recorder.next();
        assertThat((System.nanoTime() - published) / 1_000_000).as("not before its delay").isGreaterThanOrEqualTo(300);
        assertThat(Amqp.str(delivery.getBody())).isEqualTo("later");
        assertThat(delivery.getEnvelope().getExchange()).isEqualTo(x);
        assertThat(delivery.getEnvelope().getRoutingKey()).isEqualTo("orders.new");
        assertThat(delivery.getProperties().getHeaders()).containsEntry("x-delay", -300);
    }

    @Test
    void zeroNegativeOrAbsentDelaysRouteAtOnce() throws Exception {
        String x = delayedExchange("fanout");
        String q = boundQueue(x, "", null);
        ch.confirmSelect();
        ch.basicPublish(x, "", delay(null), utf8("absent"));
        ch.basicPublish(x, "", delay(0), utf8("zero"));
        ch.basicPublish(x, "", delay(-1000L), utf8("negative"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        // routed before the confirm: basic.get sees them at once
        assertThat(Amqp.drain(ch, q)).containsExactly("absent", "zero", "negative");
    }

    @Test
    void messagesLeaveInDueOrderAndThoseDueTogetherInPublishOrder() throws Exception {
        String x = delayedExchange("direct");
        String q = boundQueue(x, "k", null);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(q, true, recorder);
        ch.basicPublish(x, "k", delay(900), utf8("last"));
        List<String> together = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            together.add("same-" + i);
            ch.basicPublish(x, "k", delay(400), utf8("same-" + i));
        }
        ch.basicPublish(x, "k", delay(200), utf8("first"));
        List<String> expected = new ArrayList<>();
        expected.add("first");
        expected.addAll(together);
        expected.add("last");
        List<String> received = new ArrayList<>();
        for (Delivery delivery : recorder.next(expected.size())) {
            received.add(Amqp.str(delivery.getBody()));
        }
        assertThat(received).containsExactlyElementsOf(expected);
    }

    @Test
    void aPersistentMessageIsConfirmedOnceStoredAndCountedAsDelayed() throws Exception {
        String x = unique("durable-delayed");
        ch.exchangeDeclare(x, "x-delayed-message", true, false, Map.of("x-delayed-type", "direct"));
        String q = unique("durable-delayed-q");
        ch.queueDeclare(q, true, false, false, null);
        ch.queueBind(q, x, "k");
        ch.confirmSelect();
        AMQP.BasicProperties persistent = MessageProperties.PERSISTENT_BASIC.builder()
                .headers(Map.of("x-delay", 600_000)).build();
        ch.basicPublish(x, "k", persistent, utf8("much later"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        assertThat(Amqp.messageCount(ch, q)).isZero();
        ManagementHttp.Answer shown = new ManagementHttp(broker, "guest", "guest")
                .get("/api/exchanges/%2F/" + ManagementHttp.enc(x));
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body().path("type").asText()).isEqualTo("x-delayed-message");
        assertThat(shown.body().path("messages_delayed").asLong()).isEqualTo(1);
        ch.exchangeDelete(x);
        ch.queueDelete(q);
    }

    @Test
    void aMandatoryMessageIsHeldWithoutAReturnAndAnUnroutableOneGoesToTheAlternateExchangeWhenDue()
            throws Exception {
        String fallback = ch.queueDeclare().getQueue();
        String x = unique("delayed-ae");
        ch.exchangeDeclare(x, "x-delayed-message", false, true, Map.of("x-delayed-type", "direct",
                "alternate-exchange", "amq.fanout"));
        ch.queueBind(fallback, "amq.fanout", "");
        List<String> returned = new CopyOnWriteArrayList<>();
        ch.addReturnListener(r -> returned.add(Amqp.str(r.getBody())));
        ch.confirmSelect();
        ch.basicPublish(x, "nobody", true, delay(200), utf8("unroutable later"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(fallback, true, recorder);
        Delivery delivery = recorder.next();
        assertThat(Amqp.str(delivery.getBody())).isEqualTo("unroutable later");
        assertThat(returned).as("held, not returned, at publish").isEmpty();
    }

    @Test
    void aMessageDeadLetteredToADelayedExchangeIsDelayedToo() throws Exception {
        String x = delayedExchange("fanout");
        String retried = boundQueue(x, "", null);
        String work = ch.queueDeclare("", false, true, true, Map.of("x-dead-letter-exchange", x)).getQueue();
        ch.basicPublish("", work, delay(300), utf8("try again later"));
        long rejected = System.nanoTime();
        ch.basicReject(ch.basicGet(work, false).getEnvelope().getDeliveryTag(), false);
        Recorder recorder = new Recorder(ch);
        ch.basicConsume(retried, true, recorder);
        Delivery delivery = recorder.next();
        assertThat((System.nanoTime() - rejected) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(delivery.getProperties().getHeaders()).containsKey("x-death");
    }

    @Test
    void aMissingOrUnknownDelayedTypeIsRefused() throws Exception {
        AMQP.Channel.Close missing = Amqp.expectChannelClose(ch, 406,
                () -> ch.exchangeDeclare(unique("bad"), "x-delayed-message", false, true, null));
        assertThat(missing.getReplyText()).contains("Invalid argument, 'x-delayed-type' must be an existing "
                + "exchange type");
        Channel second = conn.createChannel();
        AMQP.Channel.Close unknown = Amqp.expectChannelClose(second, 406,
                () -> second.exchangeDeclare(unique("bad"), "x-delayed-message", false, true,
                        Map.of("x-delayed-type", "nonsense")));
        assertThat(unknown.getReplyText()).contains("'nonsense'");
    }

    @Test
    void aRedeclareWithAnotherDelayedTypeIsRefused() throws Exception {
        String x = delayedExchange("direct");
        ch.exchangeDeclare(x, "x-delayed-message", false, true, Map.of("x-delayed-type", "direct"));
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, 406,
                () -> ch.exchangeDeclare(x, "x-delayed-message", false, true, Map.of("x-delayed-type", "topic")));
        assertThat(close.getReplyText()).contains("inequivalent arg 'x-delayed-type'");
        Channel second = conn.createChannel();
        Amqp.expectChannelClose(second, 406, () -> second.exchangeDeclare(x, "direct", false, true, null));
    }
}
