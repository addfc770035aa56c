package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.publishConfirmed;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** exchange.declare / delete / bind / unbind and the exchange flags. */
class ExchangeIT extends WithChannel {

    private String boundQueue(String exchange, String key) throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, exchange, key);
        return q;
    }

    @ParameterizedTest
    @EnumSource(value = BuiltinExchangeType.class, names = {"DIRECT", "FANOUT", "TOPIC", "HEADERS"})
    void declareEachType(BuiltinExchangeType type) throws Exception {
        String x = unique("x-" + type.getType());
        assertThat(ch.exchangeDeclare(x, type)).isNotNull();
        // redeclaring identically is fine, and a passive declare finds it
        ch.exchangeDeclare(x, type);
        ch.exchangeDeclarePassive(x);
        // it is really of that type: declaring it with any other type is refused
        String other = type == BuiltinExchangeType.FANOUT ? "direct" : "fanout";
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDeclare(x, other));
        assertThat(close.getReplyText()).contains(x);
        try (Channel c = conn.createChannel()) {
            c.exchangeDelete(x);
        }
    }

    @Test
    void durableAndAutoDeleteFlagsArePartOfEquivalence() throws Exception {
        String x = unique("x-durable");
        ch.exchangeDeclare(x, "direct", true, false, null);
        ch.exchangeDeclare(x, "direct", true, false, null);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDeclare(x, "direct", false, false, null));
        assertThat(close.getReplyText()).contains(x);
        try (Channel c = conn.createChannel()) {
            c.exchangeDelete(x);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match"})
    void standardExchangesExist(String name) throws Exception {
        ch.exchangeDeclarePassive(name);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void passiveDeclareOfMissingExchangeIs404() throws Exception {
        String x = unique("missing-x");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.exchangeDeclarePassive(x));
        assertThat(close.getReplyText()).contains(x);
        Amqp.assertCausedBy(close, 40, 10);
    }

    @Test
    void redeclareWithDifferentTypeIs406() throws Exception {
        String x = unique("typed-x");
        ch.exchangeDeclare(x, "topic");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDeclare(x, "direct"));
        assertThat(close.getReplyText()).contains(x);
        Amqp.assertCausedBy(close, 40, 10);
        try (Channel c = conn.createChannel()) {
            c.exchangeDelete(x);
        }
    }

    @Test
    void unknownExchangeTypeIs503CommandInvalid() throws Exception {
        String x = unique("weird-x");
        AMQP.Connection.Close close = Amqp.expectConnectionClose(conn, AMQP.COMMAND_INVALID,
                () -> ch.exchangeDeclare(x, "no-such-type"));
        assertThat(close.getReplyText()).contains("no-such-type");
        assertThat(conn.isOpen()).isFalse();
        // nothing was created
        try (Connection c2 = Amqp.connect(broker)) {
            assertThat(Amqp.exchangeExists(c2, x)).isFalse();
        }
    }

    @Test
    void reservedAmqPrefixIs403() throws Exception {
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.ACCESS_REFUSED,
                () -> ch.exchangeDeclare("amq.foo", "direct"));
        assertThat(close.getReplyText()).contains("amq.foo");
    }

    @Test
    void deleteRemovesTheExchangeAndItsBindings() throws Exception {
        String x = unique("del-x");
        ch.exchangeDeclare(x, "fanout");
        String q = boundQueue(x, "");
        ch.exchangeDelete(x);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.exchangeDeclarePassive(x));
        assertThat(close.getReplyText()).contains(x);
        // recreating it does not resurrect the old binding
        try (Channel c = conn.createChannel()) {
            c.exchangeDeclare(x, "fanout");
            publishConfirmed(conn, x, "", "after-recreate");
            assertThat(drain(c, q)).isEmpty();
            c.exchangeDelete(x);
        }
    }

    @Test
    void deleteIfUnusedWithBindingsIs406() throws Exception {
        String x = unique("used-x");
        ch.exchangeDeclare(x, "direct");
        String q = boundQueue(x, "k");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDelete(x, true));
        assertThat(close.getReplyText()).contains(x);
        try (Channel c = conn.createChannel()) {
            c.exchangeDeclarePassive(x); // still there
            c.queueUnbind(q, x, "k");
            c.exchangeDelete(x, true); // now unused
        }
        assertThat(Amqp.exchangeExists(conn, x)).isFalse();
    }

    @Test
    void exchangeToExchangeBindAndUnbind() throws Exception {
        String src = unique("e2e-src");
        String dst = unique("e2e-dst");
        ch.exchangeDeclare(src, "topic");
        ch.exchangeDeclare(dst, "fanout");
        String q = boundQueue(dst, "");
        ch.exchangeBind(dst, src, "a.*");

        publishConfirmed(conn, src, "a.b", "via-binding");
        publishConfirmed(conn, src, "x.y", "not-matching");
        assertThat(drain(ch, q)).containsExactly("via-binding");

        ch.exchangeUnbind(dst, src, "a.*");
        publishConfirmed(conn, src, "a.b", "after-unbind");
        publishConfirmed(conn, dst, "", "direct-to-dst");
        assertThat(drain(ch, q)).containsExactly("direct-to-dst");

        ch.exchangeDelete(src);
        ch.exchangeDelete(dst);
    }

    @Test
    void exchangeToExchangeBindingsChainAndDeliverOnce() throws Exception {
        String a = unique("chain-a");
        String b = unique("chain-b");
        String c = unique("chain-c");
        ch.exchangeDeclare(a, "fanout");
        ch.exchangeDeclare(b, "fanout");
        ch.exchangeDeclare(c, "fanout");
        ch.exchangeBind(b, a, "");
        ch.exchangeBind(c, b, "");
        ch.exchangeBind(c, a, ""); // two paths a->c; the queue must still get one copy
        String q = boundQueue(c, "");
        publishConfirmed(conn, a, "", "m1");
        assertThat(drain(ch, q)).containsExactly("m1");
        for (String x : List.of(a, b, c)) {
            ch.exchangeDelete(x);
        }
    }

    @Test
    void exchangeBindWithMissingSourceIs404() throws Exception {
        String dst = unique("e2e-dst");
        String missing = unique("e2e-missing");
        ch.exchangeDeclare(dst, "fanout");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND,
                () -> ch.exchangeBind(dst, missing, ""));
        assertThat(close.getReplyText()).contains(missing);
        try (Channel c = conn.createChannel()) {
            c.exchangeDelete(dst);
        }
    }

    @Test
    void alternateExchangeReceivesUnroutableMessages() throws Exception {
        String ae = unique("ae");
        String main = unique("main");
        ch.exchangeDeclare(ae, "fanout");
        ch.exchangeDeclare(main, "direct", false, false, Map.of("alternate-exchange", ae));
        String aeQueue = boundQueue(ae, "");
        String mainQueue = boundQueue(main, "known");

        List<Return> returns = new CopyOnWriteArrayList<>();
        try (Channel pub = conn.createChannel()) {
            pub.addReturnListener(returns::add);
            pub.confirmSelect();
            pub.basicPublish(main, "known", true, null, utf8("routed"));
            pub.basicPublish(main, "unknown", true, null, utf8("to-ae"));
            pub.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        }
        assertThat(drain(ch, mainQueue)).containsExactly("routed");
        assertThat(drain(ch, aeQueue)).containsExactly("to-ae");
        assertThat(returns).as("a message taken by the alternate exchange is not returned").isEmpty();
        ch.exchangeDelete(main);
        ch.exchangeDelete(ae);
    }

    @Test
    void publishToInternalExchangeIs403() throws Exception {
        String internal = unique("internal");
        ch.exchangeDeclare(internal, "fanout", false, false, true, null);
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.ACCESS_REFUSED,
                () -> ch.basicPublish(internal, "", null, utf8("nope")));
        assertThat(close.getReplyText()).contains(internal);
        try (Channel c = conn.createChannel()) {
            c.exchangeDelete(internal);
        }
    }

    @Test
    void internalExchangeRoutesViaExchangeBinding() throws Exception {
        String internal = unique("internal");
        String front = unique("front");
        ch.exchangeDeclare(internal, "fanout", false, false, true, null);
        ch.exchangeDeclare(front, "fanout");
        ch.exchangeBind(internal, front, "");
        String q = boundQueue(internal, "");
        publishConfirmed(conn, front, "", "through-internal");
        assertThat(drain(ch, q)).containsExactly("through-internal");
        ch.exchangeDelete(front);
        ch.exchangeDelete(internal);
    }

    @Test
    void autoDeleteExchangeIsDeletedAfterItsLastBindingGoes() throws Exception {
        String x = unique("autodel-x");
        ch.exchangeDeclare(x, "direct", false, true, null);
        // never bound: it stays
        ch.exchangeDeclarePassive(x);
        String q1 = boundQueue(x, "a");
        String q2 = boundQueue(x, "b");
        ch.queueUnbind(q1, x, "a");
        ch.exchangeDeclarePassive(x); // one binding left
        ch.queueUnbind(q2, x, "b");
        AMQP.Channel.Close close = Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.exchangeDeclarePassive(x));
        assertThat(close.getReplyText()).contains(x);
    }

    @Test
    void autoDeleteExchangeIsDeletedWhenItsLastBoundQueueIsDeleted() throws Exception {
        String x = unique("autodel-x");
        ch.exchangeDeclare(x, "fanout", false, true, null);
        String q = boundQueue(x, "");
        ch.queueDelete(q);
        Amqp.expectChannelClose(ch, AMQP.NOT_FOUND, () -> ch.exchangeDeclarePassive(x));
    }

    @Test
    void bindingToTheDefaultExchangeIs403() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Amqp.expectChannelClose(ch, AMQP.ACCESS_REFUSED, () -> ch.queueBind(q, "", "some-key"));
    }

    @Test
    void unbindingFromTheDefaultExchangeIs403() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Amqp.expectChannelClose(ch, AMQP.ACCESS_REFUSED, () -> ch.queueUnbind(q, "", q));
    }

    @Test
    void deletingTheDefaultExchangeIs403() throws Exception {
        Amqp.expectChannelClose(ch, AMQP.ACCESS_REFUSED, () -> ch.exchangeDelete(""));
        try (Channel c = conn.createChannel()) {
            String q = c.queueDeclare().getQueue();
            publishConfirmed(conn, "", q, "default-still-works");
            assertThat(drain(c, q)).containsExactly("default-still-works");
        }
    }
}
