package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.publishConfirmed;
import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.Return;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** basic.publish / consume / get / cancel / return, properties, consumer tags and priorities. */
class PublishConsumeIT extends WithChannel {

    // ---------------------------------------------------------------- properties and headers

    static Map<String, Object> everyHeaderType() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner-string", "deep");
        nested.put("inner-int", -17);
        nested.put("inner-map", Map.of("deeper", true));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("string", "héllo wörld ✓");
        h.put("empty-string", "");
        h.put("int", Integer.MIN_VALUE);
        h.put("long", Long.MAX_VALUE);
        h.put("negative-long", -1234567890123L);
        h.put("bool-true", true);
        h.put("bool-false", false);
        h.put("double", 3.141592653589793);
        h.put("float", 2.5f);
        h.put("decimal", new BigDecimal("12345.67"));
        h.put("negative-decimal", new BigDecimal("-7.5"));
        h.put("date", new Date(1_700_000_000_000L)); // whole seconds: AMQP timestamps have no millis
        h.put("bytes", new byte[] {0, 1, 2, (byte) 0xCE, (byte) 0xFF});
        h.put("byte", (byte) -3);
        h.put("short", (short) 31000);
        h.put("list", Arrays.asList("a", 1, true, Arrays.asList("nested", 2L)));
        h.put("empty-list", List.of());
        h.put("map", nested);
        h.put("void", null);
        return h;
    }

    static AMQP.BasicProperties allFourteenProperties() {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("gzip")
                .headers(everyHeaderType())
                .deliveryMode(2)
                .priority(5)
                .correlationId("corr-1")
                .replyTo("reply-queue")
                .expiration("600000")
                .messageId("msg-1")
                .timestamp(new Date(1_600_000_000_000L))
                .type("order.created")
                .userId("guest") // RabbitMQ validates user-id against the connection's user
                .appId("ferry-it")
                .clusterId("cluster-x")
                .build();
    }

    /** LongString to String, byte[] to a comparable list, recursively: what equality means here. */
    static Object normalize(Object v) {
        if (v instanceof LongString ls) {
            return ls.toString();
        }
        if (v instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PublishConsumeIT::normalize).collect(Collectors.toList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new HashMap<>();
            m.forEach((k, val) -> out.put(k, normalize(val)));
            return out;
        }
        return v;
    }

    static void assertSameProperties(AMQP.BasicProperties actual, AMQP.BasicProperties expected) {
        assertThat(actual.getContentType()).isEqualTo(expected.getContentType());
        assertThat(actual.getContentEncoding()).isEqualTo(expected.getContentEncoding());
        assertThat(actual.getDeliveryMode()).isEqualTo(expected.getDeliveryMode());
        assertThat(actual.getPriority()).isEqualTo(expected.getPriority());
        assertThat(actual.getCorrelationId()).isEqualTo(expected.getCorrelationId());
        assertThat(actual.getReplyTo()).isEqualTo(expected.getReplyTo());
        assertThat(actual.getExpiration()).isEqualTo(expected.getExpiration());
        assertThat(actual.getMessageId()).isEqualTo(expected.getMessageId());
        assertThat(actual.getTimestamp()).isEqualTo(expected.getTimestamp());
        assertThat(actual.getType()).isEqualTo(expected.getType());
        assertThat(actual.getUserId()).isEqualTo(expected.getUserId());
        assertThat(actual.getAppId()).isEqualTo(expected.getAppId());
        assertThat(actual.getClusterId()).isEqualTo(expected.getClusterId());
        assertThat(actual.getHeaders()).isNotNull();
        assertThat(actual.getHeaders().keySet()).containsExactlyInAnyOrderElementsOf(expected.getHeaders().keySet());
        for (String key : expected.getHeaders().keySet()) {
            assertThat(normalize(actual.getHeaders().get(key)))
                    .as("header '%s'", key)
                    .isEqualTo(normalize(expected.getHeaders().get(key)));
        }
        // types survive, not only values
        Map<String, Object> h = actual.getHeaders();
        assertThat(h.get("int")).isInstanceOf(Integer.class);
        assertThat(h.get("long")).isInstanceOf(Long.class);
        assertThat(h.get("double")).isInstanceOf(Double.class);
        assertThat(h.get("float")).isInstanceOf(Float.class);
        assertThat(h.get("decimal")).isInstanceOf(BigDecimal.class);
        assertThat(h.get("date")).isInstanceOf(Date.class);
        assertThat(h.get("bytes")).isInstanceOf(byte[].class);
        assertThat(h.get("byte")).isInstanceOf(Byte.class);
        assertThat(h.get("short")).isInstanceOf(Short.class);
        assertThat(h.get("list")).isInstanceOf(List.class);
        assertThat(h.get("map")).isInstanceOf(Map.class);
        assertThat(h).containsKey("void");
        assertThat(h.get("void")).isNull();
    }

    static byte[] everyByteValue() {
        byte[] b = new byte[512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void consumeRoundTripPreservesAllPropertiesHeadersAndBody() throws Exception {
        String q = ch.queueDeclare().getQueue();
        AMQP.BasicProperties props = allFourteenProperties();
        byte[] body = everyByteValue();
        ch.basicPublish("", q, props, body);

        Recorder rec = new Recorder(ch);
        String tag = ch.basicConsume(q, true, rec);
        Delivery d = rec.next();
        assertThat(d.getBody()).isEqualTo(body);
        assertThat(d.getEnvelope().getExchange()).isEmpty();
        assertThat(d.getEnvelope().getRoutingKey()).isEqualTo(q);
        assertThat(d.getEnvelope().isRedeliver()).isFalse();
        assertThat(d.getEnvelope().getDeliveryTag()).isEqualTo(1);
        assertThat(rec.getConsumerTag()).isEqualTo(tag);
        assertSameProperties(d.getProperties(), props);
    }

    @Test
    void getRoundTripPreservesAllPropertiesThroughAnExchange() throws Exception {
        String x = unique("props-x");
        ch.exchangeDeclare(x, "topic", false, true, null);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "orders.#");
        AMQP.BasicProperties props = allFourteenProperties();
        ch.confirmSelect();
        ch.basicPublish(x, "orders.eu.created", props, utf8("{\"id\":1}"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        GetResponse r = ch.basicGet(q, false);
        assertThat(r).isNotNull();
        assertThat(str(r.getBody())).isEqualTo("{\"id\":1}");
        assertThat(r.getEnvelope().getExchange()).isEqualTo(x);
        assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("orders.eu.created");
        assertThat(r.getMessageCount()).isZero();
        assertSameProperties(r.getProps(), props);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
    }

    @Test
    void messageWithoutPropertiesAndEmptyBody() throws Exception {
        String q = ch.queueDeclare().getQueue();
        publishConfirmed(conn, "", q, "");
        GetResponse r = ch.basicGet(q, true);
        assertThat(r).isNotNull();
        assertThat(r.getBody()).isEmpty();
        AMQP.BasicProperties p = r.getProps();
        assertThat(p.getHeaders()).isNull();
        assertThat(p.getContentType()).isNull();
        assertThat(p.getDeliveryMode()).isNull();
        assertThat(p.getMessageId()).isNull();
        assertThat(p.getTimestamp()).isNull();
    }

    @Test
    void userIdThatIsNotTheConnectionsUserIs406() throws Exception {
        String q = ch.queueDeclare().getQueue();
        AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().userId("mallory").build();
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.basicPublish("", q, p, utf8("spoofed")));
        assertThat(close.getReplyText()).contains("mallory");
    }

    // ---------------------------------------------------------------- mandatory / return

    @Test
    void mandatoryUnroutableMessageIsReturnedWith312() throws Exception {
        String x = unique("lonely-x");
        ch.exchangeDeclare(x, "direct", false, true, null);
        List<Return> returns = new CopyOnWriteArrayList<>();
        ch.addReturnListener(returns::add);
        ch.confirmSelect();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("ret-1")
                .headers(Map.of("h", "v")).build();
        ch.basicPublish(x, "nobody-home", true, props, utf8("come back"));
        ch.basicPublish(x, "nobody-home", false, null, utf8("dropped silently"));
        // RabbitMQ sends basic.return before the basic.ack of the same message
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        assertThat(returns).hasSize(1);
        Return r = returns.get(0);
        assertThat(r.getReplyCode()).isEqualTo(AMQP.NO_ROUTE);
        assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
        assertThat(r.getExchange()).isEqualTo(x);
        assertThat(r.getRoutingKey()).isEqualTo("nobody-home");
        assertThat(str(r.getBody())).isEqualTo("come back");
        assertThat(r.getProperties().getMessageId()).isEqualTo("ret-1");
        assertThat(normalize(r.getProperties().getHeaders())).isEqualTo(Map.of("h", "v"));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void mandatoryToDefaultExchangeWithoutQueueIsReturned() throws Exception {
        CompletableFuture<Return> ret = new CompletableFuture<>();
        ch.addReturnListener(ret::complete);
        String missing = unique("no-such-queue");
        ch.basicPublish("", missing, true, null, utf8("x"));
        Return r = Amqp.await(ret, "basic.return");
        assertThat(r.getReplyCode()).isEqualTo(AMQP.NO_ROUTE);
        assertThat(r.getRoutingKey()).isEqualTo(missing);
    }

    @Test
    void publishToMissingExchangeIs404() throws Exception {
        String x = unique("missing-x");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND,
                () -> ch.basicPublish(x, "k", null, utf8("x")));
        assertThat(close.getReplyText()).contains(x);
        Amqp.assertCausedBy(close, 60, 40);
    }

    @Test
    void immediateFlagIs540NotImplemented() throws Exception {
        String q = ch.queueDeclare().getQueue();
        AMQP.Connection.Close close = Amqp.expectConnectionClose(conn, AMQP.NOT_IMPLEMENTED,
                () -> ch.basicPublish("", q, false, true, null, utf8("now!")));
        assertThat(close.getReplyText()).containsIgnoringCase("immediate");
    }

    // ---------------------------------------------------------------- consume

    @Test
    void consumeWithAutoAck() throws Exception {
        String q = unique("noack");
        ch.queueDeclare(q, false, false, false, null);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, true, rec);
        Amqp.publish(ch, q, "a", "b", "c");
        List<Delivery> ds = rec.next(3);
        assertThat(ds).extracting(d -> str(d.getBody())).containsExactly("a", "b", "c");
        assertThat(ds).extracting(d -> d.getEnvelope().getDeliveryTag()).containsExactly(1L, 2L, 3L);
        // nothing is waiting for an ack: closing the channel brings nothing back
        ch.close();
        try (Channel c = conn.createChannel()) {
            assertThat(c.queueDelete(q).getMessageCount()).isZero();
        }
    }

    @Test
    void consumeWithManualAck() throws Exception {
        String q = unique("ack");
        ch.queueDeclare(q, false, false, false, null);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, false, rec);
        Amqp.publish(ch, q, "a", "b");
        for (Delivery d : rec.next(2)) {
            ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
        }
        ch.close();
        try (Channel c = conn.createChannel()) {
            assertThat(c.queueDelete(q).getMessageCount()).as("acked messages are gone").isZero();
        }
    }

    @Test
    void clientChosenConsumerTag() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Recorder rec = new Recorder(ch);
        String tag = ch.basicConsume(q, true, "my-consumer-tag", rec);
        assertThat(tag).isEqualTo("my-consumer-tag");
        assertThat(Amqp.await(rec.consumeOk, "consume-ok")).isEqualTo("my-consumer-tag");
        Amqp.publish(ch, q, "m");
        rec.next();
        assertThat(rec.getConsumerTag()).isEqualTo("my-consumer-tag");
    }

    @Test
    void serverChosenConsumerTagsAreUnique() throws Exception {
        String q = ch.queueDeclare().getQueue();
        String t1 = ch.basicConsume(q, true, "", new Recorder(ch));
        String t2 = ch.basicConsume(q, true, new Recorder(ch));
        assertThat(t1).isNotBlank().startsWith("amq.ctag-");
        assertThat(t2).isNotBlank().startsWith("amq.ctag-");
        assertThat(t1).isNotEqualTo(t2);
    }

    @Test
    void consumeFromMissingQueueIs404() throws Exception {
        String q = unique("missing");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND,
                () -> ch.basicConsume(q, true, new Recorder(ch)));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void secondConsumerOnExclusivelyConsumedQueueIs403() throws Exception {
        String q = unique("excl-consume");
        ch.queueDeclare(q, false, false, true, null);
        ch.basicConsume(q, true, "owner", false, true, null, new Recorder(ch));
        Channel other = conn.createChannel();
        AMQP.Channel.Close close = Amqp.expectChannelClose(other, AMQP.ACCESS_REFUSED,
                () -> other.basicConsume(q, true, new Recorder(other)));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void exclusiveConsumeOnQueueWithConsumerIs403() throws Exception {
        String q = unique("excl-late");
        ch.queueDeclare(q, false, false, true, null);
        ch.basicConsume(q, true, new Recorder(ch));
        Channel other = conn.createChannel();
        AMQP.Channel.Close close = Amqp.expectChannelClose(other, AMQP.ACCESS_REFUSED,
                () -> other.basicConsume(q, true, "", false, true, null, new Recorder(other)));
        assertThat(close.getReplyText()).contains(q);
    }

    @Test
    void exclusiveConsumerReceivesEverything() throws Exception {
        String q = unique("excl-gets-all");
        ch.queueDeclare(q, false, false, true, null);
        Recorder rec = new Recorder(ch);
        ch.basicConsume(q, true, "owner", false, true, null, rec);
        Amqp.publish(ch, q, "1", "2", "3");
        assertThat(rec.next(3)).extracting(d -> str(d.getBody())).containsExactly("1", "2", "3");
    }

    @Test
    void basicCancelStopsDeliveries() throws Exception {
        String q = unique("cancel");
        ch.queueDeclare(q, false, false, false, null);
        Recorder rec = new Recorder(ch);
        String tag = ch.basicConsume(q, true, rec);
        Amqp.publish(ch, q, "before");
        assertThat(str(rec.next().getBody())).isEqualTo("before");
        ch.basicCancel(tag);
        assertThat(Amqp.await(rec.cancelOk, "cancel-ok")).isEqualTo(tag);
        publishConfirmed(conn, "", q, "after");
        assertThat(drain(ch, q)).containsExactly("after");
        assertThat(rec.bodies()).containsExactly("before");
        assertThat(rec.cancelled).isNotDone();
        ch.queueDelete(q);
    }

    @Test
    void consumerIsToldWhenItsQueueIsDeleted() throws Exception {
        String q = unique("doomed");
        ch.queueDeclare(q, false, false, false, null);
        Recorder rec = new Recorder(ch);
        String tag = ch.basicConsume(q, false, rec);
        try (Channel other = conn.createChannel()) {
            other.queueDelete(q);
        }
        assertThat(Amqp.await(rec.cancelled, "server-sent basic.cancel")).isEqualTo(tag);
        assertThat(rec.cancelOk).isNotDone();
        assertThat(ch.isOpen()).as("a cancel notification does not close the channel").isTrue();
        // the channel is still usable
        String q2 = ch.queueDeclare().getQueue();
        assertThat(q2).isNotBlank();
    }

    // ---------------------------------------------------------------- basic.get

    @Test
    void basicGetReportsRemainingMessageCountAndGetEmpty() throws Exception {
        String q = ch.queueDeclare().getQueue();
        assertThat(ch.basicGet(q, true)).as("get-empty").isNull();
        publishConfirmed(conn, "", q, "1", "2", "3");
        List<Integer> remaining = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            GetResponse r = ch.basicGet(q, true);
            assertThat(r).isNotNull();
            remaining.add(r.getMessageCount());
            bodies.add(str(r.getBody()));
        }
        assertThat(bodies).containsExactly("1", "2", "3");
        assertThat(remaining).containsExactly(2, 1, 0);
        assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void basicGetFromMissingQueueIs404() throws Exception {
        String q = unique("missing");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.basicGet(q, true));
        assertThat(close.getReplyText()).contains(q);
    }

    // ---------------------------------------------------------------- several consumers

    @Test
    void roundRobinBetweenTwoConsumers() throws Exception {
        String q = unique("rr");
        ch.queueDeclare(q, false, false, true, null);
        Channel c1 = conn.createChannel();
        Channel c2 = conn.createChannel();
        Recorder r1 = new Recorder(c1);
        Recorder r2 = new Recorder(c2);
        c1.basicConsume(q, true, r1);
        c2.basicConsume(q, true, r2);
        publishConfirmed(conn, "", q, "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> r1.count() + r2.count() == 10);
        assertThat(r1.count()).isEqualTo(5);
        assertThat(r2.count()).isEqualTo(5);
        // strictly alternating: one got the even, the other the odd messages, each in order
        List<String> evens = List.of("0", "2", "4", "6", "8");
        List<String> odds = List.of("1", "3", "5", "7", "9");
        assertThat(List.of(r1.bodies(), r2.bodies())).containsExactlyInAnyOrder(evens, odds);
    }

    @Test
    void consumerPrioritiesPreferTheHigherPriorityConsumer() throws Exception {
        String q = unique("prio");
        ch.queueDeclare(q, false, false, true, null);
        Channel lowCh = conn.createChannel();
        Channel highCh = conn.createChannel();
        lowCh.basicQos(10);
        highCh.basicQos(2);
        Recorder low = new Recorder(lowCh);
        Recorder high = new Recorder(highCh);
        lowCh.basicConsume(q, false, "low", false, false, Map.of("x-priority", 1), low);
        highCh.basicConsume(q, false, "high", false, false, Map.of("x-priority", 10), high);
        publishConfirmed(conn, "", q, "1", "2", "3", "4", "5");
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> low.count() + high.count() == 5);
        // the high-priority consumer takes all it may (its prefetch), the rest overflows to low
        assertThat(high.bodies()).containsExactly("1", "2");
        assertThat(low.bodies()).containsExactly("3", "4", "5");

        // once high has room again it gets the next ones
        highCh.basicAck(high.all.get(1).getEnvelope().getDeliveryTag(), true);
        publishConfirmed(conn, "", q, "6", "7");
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> high.count() == 4);
        assertThat(high.bodies()).containsExactly("1", "2", "6", "7");
        assertThat(low.bodies()).containsExactly("3", "4", "5");
    }

    // ---------------------------------------------------------------- channel.flow, direct reply-to

    @Test
    void channelFlowActiveTrueIsAcknowledged() throws Exception {
        Command reply = ch.rpc(new AMQP.Channel.Flow.Builder().active(true).build());
        assertThat(reply.getMethod()).isInstanceOf(AMQP.Channel.FlowOk.class);
        assertThat(((AMQP.Channel.FlowOk) reply.getMethod()).getActive()).isTrue();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void channelFlowActiveFalseIs540AsInRabbitMq() throws Exception {
        Amqp.expectConnectionClose(conn, AMQP.NOT_IMPLEMENTED,
                () -> ch.rpc(new AMQP.Channel.Flow.Builder().active(false).build()));
    }

    @Test
    void directReplyTo() throws Exception {
        String requests = ch.queueDeclare().getQueue();
        // responder on its own channel: echoes the body upper-cased to the reply-to address
        Channel responder = conn.createChannel();
        CompletableFuture<String> seenReplyTo = new CompletableFuture<>();
        responder.basicConsume(requests, true, (tag, d) -> {
            String replyTo = d.getProperties().getReplyTo();
            seenReplyTo.complete(replyTo);
            responder.basicPublish("", replyTo,
                    new AMQP.BasicProperties.Builder().correlationId(d.getProperties().getCorrelationId()).build(),
                    utf8(str(d.getBody()).toUpperCase()));
        }, tag -> { });

        Recorder replies = new Recorder(ch);
        ch.basicConsume("amq.rabbitmq.reply-to", true, replies);
        ch.basicPublish("", requests,
                new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").correlationId("c-42").build(),
                utf8("ping"));
        Delivery reply = replies.next();
        assertThat(str(reply.getBody())).isEqualTo("PING");
        assertThat(reply.getProperties().getCorrelationId()).isEqualTo("c-42");
        assertThat(Amqp.await(seenReplyTo, "request")).startsWith("amq.rabbitmq.reply-to.");
    }
}
