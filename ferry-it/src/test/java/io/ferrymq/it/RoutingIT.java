package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.publishConfirmed;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which queues a message reaches. Every test publishes with confirms first, so that when the
 * queues are read the routing is complete: what is not in a queue was not routed there.
 */
class RoutingIT extends WithChannel {

    /** Publishes each key with the key itself as body; returns what reached the queue. */
    private List<String> route(String exchange, String queue, List<String> keys) throws Exception {
        try (Channel pub = conn.createChannel()) {
            pub.confirmSelect();
            for (String k : keys) {
                pub.basicPublish(exchange, k, null, utf8(k));
            }
            pub.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        }
        return drain(ch, queue);
    }

    /**
     * Topic patterns. Columns: binding pattern; keys that must match; keys that must not
     * (space separated; {@code <empty>} is the empty routing key).
     */
    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            a.b.c   | a.b.c                              | a.b a.b.c.d a.x.c b.b.c
            a.*     | a.b a.xyz                          | a a.b.c b.a <empty>
            *.b.*   | a.b.c x.b.y                        | b.c a.b a.b.c.d b
            a.#     | a a.b a.b.c.d                      | b.a ab.c <empty>
            '#'     | a a.b.c <empty> x.y.z.w            | _
            '#.b'   | b a.b x.y.b                        | a.c b.a a.bb
            a.#.b   | a.b a.x.b a.x.y.b a.b.b            | a.x a.b.c b.a.b ab
            a.*.#   | a.b a.b.c a.b.c.d                  | a b.a.c
            *       | a xyz                              | a.b b.c.d
            """)
    void topicPatterns(String pattern, String matching, String notMatching) throws Exception {
        String x = unique("topic");
        ch.exchangeDeclare(x, "topic", false, true, null);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, pattern);
        List<String> yes = keys(matching);
        List<String> no = keys(notMatching);
        List<String> all = new ArrayList<>(yes);
        all.addAll(no);
        assertThat(route(x, q, all)).as("keys routed by pattern '%s'", pattern).containsExactlyElementsOf(yes);
    }

    private static List<String> keys(String spaceSeparated) {
        List<String> out = new ArrayList<>();
        for (String k : spaceSeparated.trim().split("\\s+")) {
            if (k.equals("_")) {
                continue;
            }
            out.add(k.equals("<empty>") ? "" : k);
        }
        return out;
    }

    @Test
    void topicWithOverlappingBindingsDeliversOneCopyPerQueue() throws Exception {
        String x = unique("topic");
        ch.exchangeDeclare(x, "topic", false, true, null);
        String q1 = ch.queueDeclare().getQueue();
        String q2 = ch.queueDeclare().getQueue();
        ch.queueBind(q1, x, "stock.*");
        ch.queueBind(q1, x, "#");
        ch.queueBind(q1, x, "stock.nyse");
        ch.queueBind(q2, x, "*.nyse");
        assertThat(route(x, q1, List.of("stock.nyse", "bond.lse"))).containsExactly("stock.nyse", "bond.lse");
        assertThat(drain(ch, q2)).containsExactly("stock.nyse");
    }

    @Test
    void directWithMultipleBindings() throws Exception {
        String x = unique("direct");
        ch.exchangeDeclare(x, "direct", false, true, null);
        String q1 = ch.queueDeclare().getQueue();
        String q2 = ch.queueDeclare().getQueue();
        ch.queueBind(q1, x, "k1");
        ch.queueBind(q1, x, "k2");
        ch.queueBind(q1, x, "k2"); // binding twice is idempotent
        ch.queueBind(q2, x, "k2");
        ch.queueBind(q2, x, "k3");
        assertThat(route(x, q1, List.of("k1", "k2", "k3", "k4", "K1"))).containsExactly("k1", "k2");
        assertThat(drain(ch, q2)).containsExactly("k2", "k3");
    }

    @Test
    void fanoutToManyQueuesIgnoresTheRoutingKey() throws Exception {
        String x = unique("fanout");
        ch.exchangeDeclare(x, "fanout", false, true, null);
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String q = ch.queueDeclare().getQueue();
            ch.queueBind(q, x, "binding-key-" + i);
            queues.add(q);
        }
        publishConfirmed(conn, x, "whatever", "m1", "m2");
        for (String q : queues) {
            assertThat(drain(ch, q)).as(q).containsExactly("m1", "m2");
        }
    }

    @Test
    void defaultExchangeRoutesByQueueName() throws Exception {
        String q = ch.queueDeclare().getQueue();
        String other = ch.queueDeclare().getQueue();
        assertThat(route("", q, List.of(q, other, "no-such-queue"))).containsExactly(q);
        assertThat(drain(ch, other)).containsExactly(other);
    }

    // ---------------------------------------------------------------- headers exchange

    private record Msg(String body, Map<String, Object> headers) {
    }

    private static Msg msg(String body, Object... kv) {
        Map<String, Object> h = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            h.put((String) kv[i], kv[i + 1]);
        }
        return new Msg(body, h);
    }

    private List<String> routeHeaders(Map<String, Object> bindingArgs, Msg... msgs) throws Exception {
        String x = unique("headers");
        ch.exchangeDeclare(x, "headers", false, true, null);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", bindingArgs);
        try (Channel pub = conn.createChannel()) {
            pub.confirmSelect();
            for (Msg m : msgs) {
                pub.basicPublish(x, "", new AMQP.BasicProperties.Builder().headers(m.headers()).build(), utf8(m.body()));
            }
            pub.basicPublish(x, "", null, utf8("no-headers-at-all"));
            pub.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        }
        return drain(ch, q);
    }

    @Test
    void headersMatchAll() throws Exception {
        Map<String, Object> binding = Map.of("x-match", "all", "format", "pdf", "type", "report");
        assertThat(routeHeaders(binding,
                msg("both", "format", "pdf", "type", "report"),
                msg("both-plus-extra", "format", "pdf", "type", "report", "lang", "en"),
                msg("only-format", "format", "pdf"),
                msg("wrong-value", "format", "pdf", "type", "log"),
                msg("none-relevant", "lang", "en")))
                .containsExactly("both", "both-plus-extra");
    }

    @Test
    void headersMatchIsAllByDefault() throws Exception {
        Map<String, Object> binding = Map.of("a", 1, "b", 2);
        assertThat(routeHeaders(binding,
                msg("ab", "a", 1, "b", 2),
                msg("a", "a", 1),
                msg("b", "b", 2)))
                .containsExactly("ab");
    }

    @Test
    void headersMatchAny() throws Exception {
        Map<String, Object> binding = Map.of("x-match", "any", "format", "pdf", "type", "report");
        assertThat(routeHeaders(binding,
                msg("both", "format", "pdf", "type", "report"),
                msg("only-format", "format", "pdf"),
                msg("only-type", "type", "report"),
                msg("wrong-values", "format", "zip", "type", "log"),
                msg("unrelated", "lang", "en")))
                .containsExactly("both", "only-format", "only-type");
    }

    @Test
    void headersMatchComparesValuesOfOtherTypes() throws Exception {
        Map<String, Object> binding = Map.of("x-match", "all", "n", 42, "flag", true);
        assertThat(routeHeaders(binding,
                msg("match", "n", 42, "flag", true),
                msg("other-number", "n", 43, "flag", true),
                msg("other-bool", "n", 42, "flag", false)))
                .containsExactly("match");
    }

    @Test
    void headersMatchIgnoresXHeadersUnlessWithX() throws Exception {
        // plain "any": x- prefixed binding arguments are not matched against
        assertThat(routeHeaders(Map.of("x-match", "any", "x-tag", "t"),
                msg("has-x-tag", "x-tag", "t")))
                .isEmpty();
        // "any-with-x" does match them
        assertThat(routeHeaders(Map.of("x-match", "any-with-x", "x-tag", "t"),
                msg("has-x-tag", "x-tag", "t"),
                msg("other-x-tag", "x-tag", "u")))
                .containsExactly("has-x-tag");
    }
}
