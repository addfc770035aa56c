package io.ferrymq.it.crash;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.it.crash.CrashLedger.Received;
import io.ferrymq.testkit.ChildBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ferrymq.it.crash.CrashMessage.PUBLISHERS;
import static io.ferrymq.it.crash.CrashMessage.QUEUES;
import static io.ferrymq.it.crash.CrashMessage.queueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarantees G1 and G1b against a real {@code kill -9} of a child broker, {@value #KILLS} times on the same data
 * directory. Each round, 4 publishers send checksummed persistent messages with confirms to 4 durable queues (one
 * of them a quorum queue) while one consumer per queue acknowledges what it gets; the broker is killed once a
 * random number of confirms arrived, with publishes, deliveries and acks in flight. After every restart, before
 * any client touches the queues, {@link CrashLedger#checkRecovered} checks that every confirmed message that was
 * not acknowledged is there, once, byte-identical and in per-publisher order, and that no message whose ack was
 * made durable came back; during a round, the consumers check every delivery the same way.
 *
 * <p>Bounded by counts, not by time: each round waits (with a generous hang guard) for its confirms, so a slow
 * machine makes the test slower, never flaky. The random seed is logged, to replay a failing run.
 */
class CrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashIT.class);
    private static final int KILLS = 20;
    /** Confirms a round waits for before the kill: a random number in this range. */
    private static final int MIN_CONFIRMS = 300;
    private static final int MAX_CONFIRMS = 1_000;
    /** Durable acks a round waits for before the kill, so that every round has some to check. */
    private static final int MIN_DURABLE_ACKS = 50;
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    private final long seed = Long.getLong("crash.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final CrashLedger ledger = new CrashLedger();

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void confirmedMessagesSurviveEveryKillNineAndDurablyAckedOnesNeverComeBack(@TempDir Path dataDir)
            throws Exception {
        LOG.info("crash test seed {} (rerun with -Dcrash.seed={})", seed, seed);
        ExecutorService clients = Executors.newFixedThreadPool(PUBLISHERS + QUEUES);
        try {
            for (int round = 0; round <= KILLS; round++) {
                try (ChildBroker child = child(dataDir)) {
                    List<Connection> connections = new ArrayList<>();
                    try {
                        Connection setup = connect(child, connections);
                        declareQueues(setup);
                        String when = round == 0 ? "first start" : "restart after kill " + round;
                        CrashLedger.Outcome outcome = ledger.checkRecovered(when, snapshot(setup));
                        LOG.info("{}: {} ({} confirms and {} durable acks so far)", when, outcome,
                                ledger.confirms(), ledger.durableAcks());
                        if (round < KILLS) {
                            runUntilKilled(child, connections, clients);
                            assertThat(ledger.violations()).as("what the clients saw in round %d", round + 1)
                                    .isEmpty();
                        }
                    } finally {
                        connections.forEach(Connection::abort); // the broker is gone: no close handshake
                    }
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** Publishers and consumers run until a random number of confirms arrived; then the broker is killed. */
    private void runUntilKilled(ChildBroker child, List<Connection> connections, ExecutorService clients)
            throws Exception {
        AtomicBoolean killed = new AtomicBoolean(); // from just before the kill: client failures are expected
        AtomicBoolean stop = new AtomicBoolean(); // after the kill: clients end
        List<Future<?>> running = new ArrayList<>();
        for (int queue = 0; queue < QUEUES; queue++) {
            running.add(clients.submit(new CrashConsumer(connect(child, connections), queue, ledger, stop::get,
                    killed::get)));
        }
        for (int publisher = 0; publisher < PUBLISHERS; publisher++) {
            running.add(clients.submit(new CrashPublisher(connect(child, connections), publisher, ledger, stop::get,
                    killed::get, random.nextLong())));
        }
        long confirms = ledger.confirms() + MIN_CONFIRMS + random.nextInt(MAX_CONFIRMS - MIN_CONFIRMS);
        long durableAcks = ledger.durableAcks() + MIN_DURABLE_ACKS;
        await().atMost(HANG_GUARD).pollInterval(Duration.ofMillis(2)).until(() -> !ledger.violations().isEmpty()
                || (ledger.confirms() >= confirms && ledger.durableAcks() >= durableAcks));
        killed.set(true);
        child.kill9();
        stop.set(true);
        for (Future<?> client : running) {
            client.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The durable queues; the last one is a quorum queue, which on one node must keep the same promises. */
    private static void declareQueues(Connection connection) throws Exception {
        Channel channel = connection.createChannel();
        for (int queue = 0; queue < QUEUES; queue++) {
            Map<String, Object> arguments = queue == QUEUES - 1 ? Map.of("x-queue-type", "quorum") : Map.of();
            channel.queueDeclare(queueName(queue), true, false, false, arguments);
        }
        channel.close();
    }

    /**
     * Every queue's messages in order, as a consumer receives them, all left unacknowledged; closing the channel
     * puts them back in their places (G3) for the round's consumers.
     */
    private static Map<Integer, List<Received>> snapshot(Connection connection) throws Exception {
        Map<Integer, List<Received>> queues = new TreeMap<>();
        for (int queue = 0; queue < QUEUES; queue++) {
            Channel channel = connection.createChannel();
            int count = channel.queueDeclarePassive(queueName(queue)).getMessageCount();
            List<Received> received = Collections.synchronizedList(new ArrayList<>());
            channel.basicConsume(queueName(queue), false, (tag, delivery) -> received.add(
                    new Received(delivery.getBody(), delivery.getEnvelope().isRedeliver())), tag -> {
            });
            await().atMost(HANG_GUARD).until(() -> received.size() >= count);
            channel.close();
            queues.put(queue, List.copyOf(received));
        }
        return queues;
    }

    private static ChildBroker child(Path dataDir) {
        return CrashChildren.start(dataDir, HANG_GUARD);
    }

    private static Connection connect(ChildBroker child, List<Connection> opened) throws Exception {
        Connection connection = CrashChildren.connect(child, HANG_GUARD);
        opened.add(connection);
        return connection;
    }
}
