package io.ferrymq.core;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.exchange.Binding;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** Durable topology and persistent messages through a real journal: what survives a restart, and what does not. */
class PersistenceTest {
    private static final BrokerConfig CONFIG = new BrokerConfig("guest", "guest", 1L << 40, 1024 * 1024);
    private static final StoreConfig STORE = StoreConfig.defaults().withSegmentBytes(1 << 20);

    private final ManualClock clock = new ManualClock();

    @Test
    void durableTopologyAndUnackedPersistentMessagesSurviveARestart(@TempDir Path dir) throws Exception {
        Map<String, Object> queueArgs = new LinkedHashMap<>();
        queueArgs.put("x-custom", LongString.of("value"));
        queueArgs.put("x-number", 42L);
        queueArgs.put("x-nested", Map.of("inner", List.of(1, "two", true)));
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("h-str", LongString.of("v"));
        headers.put("h-int", 5);
        headers.put("h-dec", new BigDecimal("12.345"));
        headers.put("h-bytes", new byte[]{1, 2, 3});
        MessageProperties persistent = new MessageProperties("text/plain", "utf-8", headers, 2, 3, "corr",
                "reply", "60000", "id-1", Instant.ofEpochSecond(1_700_000_000L), "type", "guest", "app", "cluster");

        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store);
            BrokerConnection connection = connect(broker, "c1");
            Session session = connection.openSession();
            join(session.declareExchange(new ExchangeDeclaration("orders-x", "topic", false, true, false, false,
                    Map.of("alternate-exchange", LongString.of("amq.fanout")))));
            join(session.declareExchange(new ExchangeDeclaration("temp-x", "fanout", false, false, false, false,
                    Map.of())));
            join(session.declareQueue(new QueueDeclaration("orders", false, true, false, false, queueArgs)));
            join(session.declareQueue(new QueueDeclaration("temp", false, false, false, false, Map.of())));
            join(session.declareQueue(new QueueDeclaration("mine", false, true, true, false, Map.of())));
            join(session.declareQueue(new QueueDeclaration("gone", false, true, false, false, Map.of())));
            join(session.bindQueue("orders", "orders-x", "a.*", Map.of()));
            join(session.bindQueue("orders", "amq.direct", "k", Map.of("x-arg", 1)));
            join(session.bindQueue("temp", "orders-x", "#", Map.of()));
            join(session.bindQueue("orders", "temp-x", "", Map.of()));
            join(session.bindQueue("gone", "amq.fanout", "", Map.of()));

            // P1 T1 P2 P3 T2 P4..P10, all reaching orders (durable) and temp (not durable)
            List<String> published = new ArrayList<>();
            publish(session, "orders-x", "a.b", "P1", persistent);
            publish(session, "orders-x", "a.b", "T1", MessageProperties.EMPTY);
            publish(session, "orders-x", "a.b", "P2", persistent);
            publish(session, "orders-x", "a.b", "P3", persistent);
            publish(session, "orders-x", "a.b", "T2", MessageProperties.EMPTY);
            for (int i = 4; i <= 10; i++) {
                publish(session, "orders-x", "a.b", "P" + i, persistent);
            }
            publish(session, "", "gone", "G1", persistent);

            List<Long> tags = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tags.add(join(session.get("orders", false)).delivery().deliveryTag()); // P1 T1 P2 P3
            }
            session.settle(tags.get(0), false, SettleOp.ACK);   // P1
            session.settle(tags.get(1), false, SettleOp.ACK);   // T1
            session.settle(tags.get(3), false, SettleOp.DISCARD); // P3
            // P2 stays unacked; requeueing keeps it stored
            join(session.qos(10, false)); // G1b: a later reply makes the acks durable
            join(session.deleteQueue("gone", false, false));
            broker.shutdown();
        }

        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store);
            assertThat(broker.queues()).extracting(BrokerView.QueueSnapshot::name).containsExactly("orders");
            BrokerView.QueueSnapshot orders = broker.queues().get(0);
            assertThat(orders.durable()).isTrue();
            assertThat(orders.arguments()).isEqualTo(queueArgs);
            assertThat(broker.exchanges()).filteredOn(x -> x.name().equals("orders-x")).singleElement()
                    .satisfies(x -> {
                        assertThat(x.type()).isEqualTo("topic");
                        assertThat(x.durable()).isTrue();
                        assertThat(x.arguments()).isEqualTo(Map.of("alternate-exchange", LongString.of("amq.fanout")));
                    });
            assertThat(broker.exchanges()).noneMatch(x -> x.name().equals("temp-x"));
            List<String> bindings = new ArrayList<>();
            for (Binding b : broker.virtualHost("/").bindings()) {
                bindings.add(b.source().name() + "->" + ((Destination.ToQueue) b.destination()).queue().name()
                        + ":" + b.routingKey() + b.arguments());
            }
            assertThat(bindings).containsExactlyInAnyOrder("orders-x->orders:a.*{}", "amq.direct->orders:k{x-arg=1}");

            Session session = connect(broker, "c2").openSession();
            List<String> bodies = new ArrayList<>();
            GetResult got;
            while (!(got = join(session.get("orders", true))).isEmpty()) {
                Delivery delivery = got.delivery();
                assertThat(delivery.redelivered()).isTrue();
                Message m = delivery.message();
                assertThat(m.exchange()).isEqualTo("orders-x");
                assertThat(m.routingKey()).isEqualTo("a.b");
                MessageProperties p = m.properties();
                assertThat(p.persistent()).isTrue();
                assertThat(p.contentType()).isEqualTo("text/plain");
                assertThat(p.contentEncoding()).isEqualTo("utf-8");
                assertThat(p.priority()).isEqualTo(3);
                assertThat(p.correlationId()).isEqualTo("corr");
                assertThat(p.replyTo()).isEqualTo("reply");
                assertThat(p.expiration()).isEqualTo("60000");
                assertThat(p.messageId()).isEqualTo("id-1");
                assertThat(p.timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
                assertThat(p.type()).isEqualTo("type");
                assertThat(p.userId()).isEqualTo("guest");
                assertThat(p.appId()).isEqualTo("app");
                assertThat(p.clusterId()).isEqualTo("cluster");
                assertThat(p.headers()).containsEntry("h-str", LongString.of("v")).containsEntry("h-int", 5)
                        .containsEntry("h-dec", new BigDecimal("12.345"));
                assertThat((byte[]) p.headers().get("h-bytes")).containsExactly(1, 2, 3);
                bodies.add(new String(m.body(), StandardCharsets.UTF_8));
            }
            assertThat(bodies).containsExactly("P2", "P4", "P5", "P6", "P7", "P8", "P9", "P10");
            join(session.qos(0, false));

            // the restored topology routes, and new messages do not collide with restored entries
            publish(session, "orders-x", "a.c", "after", persistent);
            publish(session, "amq.direct", "k", "after-2", persistent);
            broker.shutdown();
        }

        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store);
            assertThat(store.journal().recovery().cleanShutdown()).isTrue();
            Session session = connect(broker, "c3").openSession();
            assertThat(drain(session, "orders")).containsExactly("after", "after-2");
            join(session.deleteQueue("orders", false, false));
            join(session.deleteExchange("orders-x", false));
            broker.shutdown();
        }

        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store);
            assertThat(store.journal().recovery().entries()).isZero();
            // only the default vhost, user and permission remain
            assertThat(store.journal().recovery().metadata()).isEqualTo(3);
            assertThat(broker.queues()).isEmpty();
            assertThat(broker.exchanges()).noneMatch(x -> x.name().equals("orders-x"));
            broker.shutdown();
        }
    }

    @Test
    void transientBrokerWritesNothingAndCompletesAtOnce() {
        LocalBroker broker = new LocalBroker(CONFIG, clock);
        Session session = connect(broker, "c").openSession();
        assertThat(session.declareQueue(new QueueDeclaration("q", false, true, false, false, Map.of()))
                .toCompletableFuture()).isDone();
        assertThat(session.publish(new PublishRequest(new Message("", "q",
                MessageProperties.EMPTY.withHeaders(null), new byte[1]), false)).toCompletableFuture()).isDone();
    }

    @Test
    void recordsRoundTrip() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("s", "java string");
        args.put("b", (byte) -1);
        args.put("sh", (short) 7);
        args.put("f", 1.5f);
        args.put("d", 2.5d);
        args.put("t", Instant.ofEpochSecond(9));
        args.put("v", null);
        var record = new BrokerRecords.QueueRecord("/", "q", "classic", true, true, args);
        assertThat(BrokerRecords.readQueue(ByteBuffer.wrap(BrokerRecords.queue(record)))).isEqualTo(record);
        var binding = new BrokerRecords.BindingRecord("/", "x", false, "y", "key", Map.of());
        assertThat(BrokerRecords.readBinding(ByteBuffer.wrap(BrokerRecords.binding(binding)))).isEqualTo(binding);
        Message empty = new Message("", "", MessageProperties.EMPTY, new byte[0]);
        assertThat(BrokerRecords.readMessage(ByteBuffer.wrap(BrokerRecords.message(empty)))).satisfies(m -> {
            assertThat(m.properties()).isEqualTo(MessageProperties.EMPTY);
            assertThat(m.body()).isEmpty();
        });
    }

    @Test
    void messageRecordsRoundTripWithEveryPropertyAndBodiesOfAnySize() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("x-retry", 3);
        headers.put("trace", "abc");
        MessageProperties properties = new MessageProperties("application/json", "gzip", headers, 2, 5, "corr-1",
                "reply.q", "60000", "id-1", Instant.ofEpochSecond(1_700_000_000L), "order", "guest", "app", "c1");
        for (int size : new int[] {0, 1, 1000, 70_000}) {
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) (i * 31 + size);
            }
            Message message = new Message("orders", "eu.created", properties, body);
            byte[] record = BrokerRecords.message(message);
            Message read = BrokerRecords.readMessage(ByteBuffer.wrap(record));
            assertThat(read.exchange()).isEqualTo("orders");
            assertThat(read.routingKey()).isEqualTo("eu.created");
            assertThat(read.properties()).isEqualTo(properties);
            assertThat(read.body()).as("body of %d bytes", size).isEqualTo(body);
            assertThat(BrokerRecords.readMessageSummary(ByteBuffer.wrap(record)).bodySize()).isEqualTo(size);
        }
    }

    @Test
    void aBacklogBeyondTheResidentLimitLivesOnDiskAndComesBackInOrderAfterARestart(@TempDir Path dir) {
        BrokerConfig paging = new BrokerConfig("guest", "guest", 1L << 40, 1024 * 1024).withQueueResidentBytes(64 * 1024);
        MessageProperties persistent = new MessageProperties(null, null, null, 2, null, null, null, null, null,
                null, null, null, null, null);
        int count = 5000;
        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(paging, clock, store);
            Session session = connect(broker, "c1").openSession();
            join(session.declareQueue(new QueueDeclaration("backlog", false, true, false, false, Map.of())));
            for (int i = 0; i < count; i++) {
                publish(session, "", "backlog", body(i), persistent);
            }
            // one more publish pages out what was written before it
            publish(session, "", "backlog", body(count), persistent);
            assertThat(broker.memoryUsedBytes()).as("bodies in memory").isLessThan(200 * 1024);

            List<String> first = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                first.add(new String(join(session.get("backlog", true)).delivery().message().body(),
                        StandardCharsets.UTF_8));
            }
            assertThat(first).containsExactlyElementsOf(bodies(0, 100));
            broker.shutdown();
        }
        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(paging, clock, store);
            assertThat(broker.memoryUsedBytes()).as("recovered bodies stay on disk").isZero();
            Session session = connect(broker, "c2").openSession();
            assertThat(drain(session, "backlog")).containsExactlyElementsOf(bodies(100, count + 1));
            broker.shutdown();
        }
    }

    private static String body(int i) {
        return String.format("%06d", i) + "x".repeat(1018);
    }

    private static List<String> bodies(int from, int to) {
        List<String> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.add(body(i));
        }
        return all;
    }

    private static void publish(Session session, String exchange, String key, String body, MessageProperties props) {
        PublishOutcome outcome = join(session.publish(new PublishRequest(new Message(exchange, key, props,
                body.getBytes(StandardCharsets.UTF_8)), false)));
        assertThat(outcome).isEqualTo(PublishOutcome.ROUTED);
    }

    private static List<String> drain(Session session, String queue) {
        List<String> bodies = new ArrayList<>();
        GetResult got;
        while (!(got = join(session.get(queue, true))).isEmpty()) {
            bodies.add(new String(got.delivery().message().body(), StandardCharsets.UTF_8));
        }
        return bodies;
    }
}
