package io.ferrymq.core;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Publishers, consumers that ack, nack, reject, hold and close their sessions, basic.get, qos
 * changes, stalled transports and topology churn, all at once for about two seconds. Then every
 * published message must have been acknowledged once, discarded once, or still be in a queue;
 * nothing twice, nothing lost, and no thread stuck.
 */
class ConcurrencyStressTest {
    private static final int QUEUES = 4;
    private static final long RUN_MILLIS = 2_000;

    private final LocalBroker broker = new LocalBroker(new BrokerConfig("guest", "guest", 1L << 40, 1 << 20),
            io.ferrymq.common.Clock.system());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> settledForGood = new ConcurrentHashMap<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Test
    void nothingIsLostDuplicatedOrStuck() throws Exception {
        Session admin = connection("admin").openSession();
        join(admin.declareExchange(new ExchangeDeclaration("t", "topic", false, false, false, false, Map.of())));
        for (int q = 0; q < QUEUES; q++) {
            Fixtures.declareQueue(admin, "q" + q);
            join(admin.bindQueue("q" + q, "t", "k." + q, Map.of()));
        }
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            threads.add(thread("publisher-" + p, this::publisher));
        }
        for (int c = 0; c < 4; c++) {
            threads.add(thread("consumer-" + c, this::consumer));
        }
        threads.add(thread("getter", this::getter));
        threads.add(thread("churner", this::churner));
        threads.forEach(Thread::start);
        Thread.sleep(RUN_MILLIS);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            if (thread.isAlive()) {
                fail("thread " + thread.getName() + " is stuck; deadlocked threads: " + deadlocks());
            }
        }
        assertThat(errors).isEmpty();

        Set<String> remaining = new HashSet<>();
        Session drain = connection("drain").openSession();
        for (int q = 0; q < QUEUES; q++) {
            for (GetResult got = join(drain.get("q" + q, true)); !got.isEmpty(); got = join(drain.get("q" + q, true))) {
                assertThat(remaining.add(body(got.delivery()))).as("duplicate in queue").isTrue();
            }
        }
        // plain set arithmetic: AssertJ's collection assertions are quadratic on this many ids
        List<String> twice = settledForGood.entrySet().stream().filter(e -> e.getValue() != 1)
                .map(Map.Entry::getKey).toList();
        assertThat(twice).as("settled more than once").isEmpty();
        Set<String> both = new HashSet<>(remaining);
        both.retainAll(settledForGood.keySet());
        assertThat(both).as("settled and still queued").isEmpty();
        Set<String> lost = new HashSet<>(published);
        lost.removeAll(remaining);
        lost.removeAll(settledForGood.keySet());
        assertThat(lost).as("lost").isEmpty();
        Set<String> invented = new HashSet<>(remaining);
        invented.addAll(settledForGood.keySet());
        invented.removeAll(published);
        assertThat(invented).as("never published").isEmpty();
        assertThat(published.size()).as("too few publishes to prove anything").isGreaterThan(200);
        assertThat(broker.queues()).allSatisfy(q -> {
            assertThat(q.messagesReady()).isZero();
            assertThat(q.messagesUnacknowledged()).isZero();
        });
        assertThat(broker.memoryUsedBytes()).isZero();
    }

    private void publisher() {
        Session session = connection(Thread.currentThread().getName()).openSession();
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; !stop.get() && i < 60_000; i++) {
            String id = Thread.currentThread().getName() + "/" + i;
            published.add(id);
            // null properties on purpose: routing must cope with a message that has none
            Message message = new Message("t", "k." + random.nextInt(QUEUES), null,
                    id.getBytes(StandardCharsets.UTF_8));
            assertThat(join(session.publish(new PublishRequest(message, true)))).isEqualTo(PublishOutcome.ROUTED);
        }
        session.close();
    }

    /** A sink that queues deliveries for its worker thread and now and then stalls its transport. */
    private static final class Inbox implements DeliverySink {
        final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        volatile boolean credit = true;

        @Override
        public void deliver(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void cancelled(String consumerTag, String reason) {
        }

        @Override
        public boolean hasCredit() {
            return credit;
        }
    }

    private void consumer() {
        SplittableRandom random = new SplittableRandom();
        BrokerConnection connection = connection(Thread.currentThread().getName());
        while (!stop.get()) {
            Session session = connection.openSession();
            Inbox inbox = new Inbox();
            if (random.nextBoolean()) {
                join(session.qos(1 + random.nextInt(20), random.nextBoolean()));
            }
            int queues = 1 + random.nextInt(2);
            for (int i = 0; i < queues; i++) {
                Map<String, Object> args = Map.of("x-priority", random.nextInt(3));
                String queue = "q" + random.nextInt(QUEUES);
                join(session.consume(new ConsumeSpec(queue, "", false, false, false, args), inbox));
            }
            TreeMap<Long, String> unsettled = new TreeMap<>();
            for (int budget = 50 + random.nextInt(500); budget > 0 && !stop.get(); budget--) {
                Delivery delivery = poll(inbox);
                if (delivery == null) {
                    inbox.credit = true;
                    session.resume();
                    continue;
                }
                long tag = delivery.deliveryTag();
                unsettled.put(tag, body(delivery));
                int roll = random.nextInt(100);
                if (roll < 60) {
                    session.settle(tag, false, SettleOp.ACK);
                    settled(unsettled.remove(tag));
                } else if (roll < 72) {
                    session.settle(tag, true, SettleOp.ACK);
                    var upTo = unsettled.headMap(tag, true);
                    upTo.values().forEach(this::settled);
                    upTo.clear();
                } else if (roll < 84) {
                    session.settle(tag, false, SettleOp.REQUEUE);
                    unsettled.remove(tag);
                } else if (roll < 88) {
                    session.settle(tag, false, SettleOp.DISCARD);
                    settled(unsettled.remove(tag));
                } else if (roll < 90) {
                    inbox.credit = false;
                }
                // otherwise hold the delivery: the session's close will requeue it
            }
            session.close();
        }
        connection.close();
    }

    private void getter() {
        Session session = connection("getter").openSession();
        SplittableRandom random = new SplittableRandom();
        while (!stop.get()) {
            GetResult got = join(session.get("q" + random.nextInt(QUEUES), false));
            if (got.isEmpty()) {
                Thread.yield();
            } else if (random.nextBoolean()) {
                session.settle(got.delivery().deliveryTag(), false, SettleOp.ACK);
                settled(body(got.delivery()));
            } else {
                session.settle(got.delivery().deliveryTag(), false, SettleOp.REQUEUE);
            }
        }
        session.close();
    }

    /** Exclusive and auto-delete queues appear on the routed exchange and vanish with their connections. */
    private void churner() {
        SplittableRandom random = new SplittableRandom();
        for (int round = 0; !stop.get(); round++) {
            BrokerConnection connection = connection("churn-" + round);
            Session session = connection.openSession();
            QueueDeclaration temporary = new QueueDeclaration("", false, false, true, true, Map.of());
            String queue = join(session.declareQueue(temporary)).queue();
            join(session.bindQueue(queue, "t", "k.#", Map.of()));
            String tag = join(session.consume(new ConsumeSpec(queue, "", false, true, false, Map.of()), new Inbox()));
            if (random.nextBoolean()) {
                join(session.cancel(tag));
            }
            connection.close();
        }
    }

    private void settled(String id) {
        settledForGood.merge(id, 1, Integer::sum);
    }

    private static Delivery poll(Inbox inbox) {
        try {
            return inbox.deliveries.poll(2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String body(Delivery delivery) {
        return new String(delivery.message().body(), StandardCharsets.UTF_8);
    }

    private BrokerConnection connection(String id) {
        return broker.connect(new ConnectionInfo(id, "guest", "127.0.0.1", "test", Map.of()), "/");
    }

    private Thread thread(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(t);
                stop.set(true);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static String deadlocks() {
        long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (ids == null) {
            return "none found";
        }
        return Arrays.stream(ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true))
                .map(ThreadInfo::toString).collect(Collectors.joining("\n"));
    }
}
