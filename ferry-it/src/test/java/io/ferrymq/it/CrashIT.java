package io.ferrymq.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.ferrymq.testkit.ChildBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guarantees G1 and G1b against a real {@code kill -9} of a child broker, round after round on the same data
 * directory: every confirmed message that was not acknowledged is there after the restart, exactly once and in
 * publish order; an acknowledgement followed by a synchronous reply never comes back. Each round also leaves a
 * burst of publishes in flight at the moment of the kill: those confirmed before it must survive, the others may
 * or may not, but never twice.
 */
class CrashIT {
    private static final String QUEUE = "crash-durable";
    private static final int ROUNDS = 5;
    private static final int PUBLISHERS = 4;
    private static final long ID_STRIDE = 8;
    private static final int PUBLISHED = 2_000;
    private static final int ACKED = 500;
    private static final int IN_FLIGHT = 300;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void confirmedMessagesSurviveKillNineAndAckedOnesNeverComeBack(@TempDir Path dataDir) throws Exception {
        /** Confirmed and not acknowledged: must be there, once. */
        Set<Long> expected = new HashSet<>();
        /** Acknowledged (and a reply followed): must never come back. */
        Set<Long> acked = new HashSet<>();
        /** Published but not confirmed before the kill: may be there, at most once. */
        Set<Long> maybe = new HashSet<>();
        long[] next = new long[PUBLISHERS + 1];
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try {
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildBroker child = child(dataDir)) {
                Connection conn = connect(child);
                try {
                    Channel ch = conn.createChannel();
                    ch.queueDeclare(QUEUE, true, false, false, Map.of());
                    // 1. what survived the last crash
                    List<Long> present = readAll(ch);
                    Set<Long> unique = new HashSet<>(present);
                    assertThat(unique).as("round %d: no message twice", round).hasSize(present.size());
                    for (int p = 0; p <= PUBLISHERS; p++) {
                        int publisher = p;
                        assertThat(present.stream().filter(id -> id % ID_STRIDE == publisher).toList())
                                .as("round %d: order of publisher %d kept", round, p).isSorted();
                    }
                    assertThat(unique).as("round %d: every confirmed, unacked message survived", round)
                            .containsAll(expected);
                    Set<Long> extra = new HashSet<>(unique);
                    extra.removeAll(expected);
                    assertThat(extra).as("round %d: nothing acked or never published came back", round)
                            .isSubsetOf(maybe);
                    expected.addAll(extra); // confirmed or not, they are queued now
                    maybe.clear();
                    ch.close(); // requeues what readAll left unacked

                    // 2. publishers on their own channels, with confirms
                    List<Future<List<Long>>> publishers = new ArrayList<>();
                    for (int p = 0; p < PUBLISHERS; p++) {
                        int publisher = p;
                        Channel channel = conn.createChannel();
                        channel.confirmSelect();
                        publishers.add(pool.submit(() -> {
                            List<Long> ids = new ArrayList<>();
                            for (int i = 0; i < PUBLISHED / PUBLISHERS; i++) {
                                long id = newId(next, publisher);
                                publish(channel, id);
                                ids.add(id);
                            }
                            channel.waitForConfirmsOrDie(30_000);
                            return ids;
                        }));
                    }
                    for (Future<List<Long>> publisher : publishers) {
                        expected.addAll(publisher.get(60, TimeUnit.SECONDS));
                    }
                    Channel pub = conn.createChannel();
                    pub.confirmSelect();

                    // 3. a consumer acks the first ACKED messages, then a synchronous reply makes that durable
                    Channel cons = conn.createChannel();
                    cons.basicQos(50);
                    BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
                    String tag = cons.basicConsume(QUEUE, false, (consumerTag, d) -> deliveries.add(d), t -> {
                    });
                    for (int i = 0; i < ACKED; i++) {
                        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
                        assertThat(d).as("round %d: delivery %d", round, i).isNotNull();
                        long id = id(d.getBody());
                        cons.basicAck(d.getEnvelope().getDeliveryTag(), false);
                        assertThat(expected.remove(id)).as("round %d: delivered %d was expected", round, id).isTrue();
                        acked.add(id);
                    }
                    cons.basicCancel(tag);
                    cons.basicQos(50); // G1b: the acks above are durable once this reply arrived

                    // 4. a burst left in flight at the kill
                    ConcurrentNavigableMap<Long, Long> unconfirmed = new ConcurrentSkipListMap<>();
                    Set<Long> confirmedInFlight = ConcurrentHashMap.newKeySet();
                    pub.addConfirmListener((seq, multiple) -> {
                        var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
                        confirmedInFlight.addAll(done.values());
                        done.clear();
                    }, (seq, multiple) -> {
                        var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
                        done.clear();
                    });
                    List<Long> burst = new ArrayList<>();
                    for (int i = 0; i < IN_FLIGHT; i++) {
                        long id = newId(next, PUBLISHERS);
                        unconfirmed.put(pub.getNextPublishSeqNo(), id);
                        burst.add(id);
                        publish(pub, id);
                    }
                    child.kill9();
                    for (long id : burst) {
                        if (confirmedInFlight.contains(id)) {
                            expected.add(id);
                        } else {
                            maybe.add(id);
                        }
                    }
                    assertThat(acked).doesNotContainAnyElementsOf(expected);
                } finally {
                    conn.abort(); // the broker is gone: do not wait for a close-ok
                }
            }
        }
        } finally {
            pool.shutdownNow();
        }
        try (ChildBroker child = child(dataDir); Connection conn = connect(child)) {
            Channel ch = conn.createChannel();
            List<Long> present = readAll(ch);
            Set<Long> unique = new HashSet<>(present);
            assertThat(unique).hasSize(present.size()).containsAll(expected);
            assertThat(unique).doesNotContainAnyElementsOf(acked);
        }
    }

    /** Ids of publisher {@code p} (the last one is the burst's) increase across rounds: {@code n * ID_STRIDE + p}. */
    private static long newId(long[] next, int p) {
        return ++next[p] * ID_STRIDE + p;
    }

    /** The testkit's small heap, and C1 only: most of a round is the child's start, which C2 only slows. */
    private static ChildBroker child(Path dataDir) {
        return ChildBroker.builder(dataDir)
                .jvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .start();
    }

    private static Connection connect(ChildBroker child) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(child.host());
        factory.setPort(child.amqpPort());
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(10_000);
        return factory.newConnection();
    }

    private static void publish(Channel ch, long id) throws Exception {
        ch.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC, ("m-" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long id(byte[] body) {
        return Long.parseLong(new String(body, StandardCharsets.UTF_8).substring(2));
    }

    /** Every message in the queue, in order, left unacked (closing the channel requeues them). */
    private static List<Long> readAll(Channel ch) throws Exception {
        List<Long> ids = new ArrayList<>();
        GetResponse got;
        while ((got = ch.basicGet(QUEUE, false)) != null) {
            ids.add(id(got.getBody()));
        }
        return ids;
    }
}
