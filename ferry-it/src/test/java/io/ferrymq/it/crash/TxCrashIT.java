package io.ferrymq.it.crash;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.ferrymq.testkit.ChildBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * G5 against a real {@code kill -9}, {@value #KILLS} times on one data directory: a worker takes input messages
 * one at a time and, in one transaction each, publishes a persistent result to 3 durable output queues and acks
 * the input (sometimes rolling a first attempt back). The broker is killed with transactions in flight. After every
 * restart, before any client changes anything, each input is in exactly one of two states: still in the input
 * queue and in no output queue, or gone from the input queue and in all 3 output queues once; and every
 * transaction whose {@code commit-ok} arrived is in the second state.
 *
 * <p>The first output queue also deduplicates (G4) on the result's message-id. After each check the test resends
 * some results whose transaction was committed, with confirms: they must be dropped, in this round and, since the
 * window must survive {@code kill -9}, after every later restart (the check finds no result twice).
 *
 * <p>The second test is the worker pipeline of issue 7: 10,000 inputs, killed {@value #KILLS} times while it runs,
 * then run to the end: every input ends with its result exactly once in each output queue.
 */
class TxCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(TxCrashIT.class);
    private static final int KILLS = 20;
    private static final int OUTPUTS = 3;
    private static final String INPUT = "tx-crash-in";
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    /**
     * A run: how many inputs, and how many commits a round waits for before the kill (a random number in
     * {@code minCommits .. maxCommits}).
     */
    private record Plan(int inputs, int minCommits, int maxCommits) {
    }

    private final long seed = Long.getLong("crash.seed", System.nanoTime());
    private final Random random = new Random(seed);
    /** Inputs whose transaction got its commit-ok. */
    private final Set<Integer> committed = ConcurrentHashMap.newKeySet();
    private Plan plan;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void eachTransactionIsSeenWhollyOrNotAtAllAfterEveryKillNine(@TempDir Path dataDir) throws Exception {
        run(dataDir, new Plan(1_000, 5, 40), false);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aPipelineOf10000MessagesKilledThroughoutEndsWithEachResultExactlyOnce(@TempDir Path dataDir)
            throws Exception {
        run(dataDir, new Plan(10_000, 100, 600), true);
    }

    private void run(Path dataDir, Plan plan, boolean toTheEnd) throws Exception {
        this.plan = plan;
        LOG.info("tx crash test {} seed {} (rerun with -Dcrash.seed={})", plan, seed, seed);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round <= KILLS; round++) {
                try (ChildBroker child = child(dataDir)) {
                    List<Connection> connections = new ArrayList<>();
                    try {
                        Connection setup = connect(child, connections);
                        declareQueues(setup);
                        if (round == 0) {
                            publishInputs(setup);
                        }
                        int done = checkAllOrNothing(setup, round);
                        int resent = resendCommittedResults(setup);
                        LOG.info("round {}: {} inputs processed, {} commit-oks so far, {} results resent", round,
                                done, committed.size(), resent);
                        if (round < KILLS) {
                            runUntilKilled(child, connections, worker);
                        } else if (toTheEnd) {
                            Connection last = connect(child, connections);
                            worker.submit(() -> work(last, new AtomicBoolean(), new Random(seed)))
                                    .get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                            assertThat(checkAllOrNothing(setup, round)).as("inputs processed at the end")
                                    .isEqualTo(plan.inputs());
                        }
                    } finally {
                        connections.forEach(Connection::abort);
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private void runUntilKilled(ChildBroker child, List<Connection> connections, ExecutorService worker)
            throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        int target = committed.size() + plan.minCommits() + random.nextInt(plan.maxCommits() - plan.minCommits());
        Connection connection = connect(child, connections);
        long workerSeed = random.nextLong();
        Future<?> running = worker.submit(() -> work(connection, killed, new Random(workerSeed)));
        await().atMost(HANG_GUARD).pollInterval(Duration.ofMillis(1))
                .until(() -> running.isDone() || committed.size() >= target);
        killed.set(true);
        child.kill9();
        running.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS); // rethrows what the worker saw before the kill
    }

    /** Processes inputs until the broker dies or none is left; failures before the kill are test failures. */
    private Void work(Connection connection, AtomicBoolean killed, Random random) throws Exception {
        try {
            Channel channel = connection.createChannel();
            channel.txSelect();
            while (true) {
                GetResponse input = channel.basicGet(INPUT, false);
                if (input == null) {
                    return null; // all processed: the round ends with the kill (or, to the end, here)
                }
                int id = Integer.parseInt(new String(input.getBody(), StandardCharsets.UTF_8));
                if (random.nextInt(4) == 0) {
                    process(channel, id, input.getEnvelope().getDeliveryTag());
                    channel.txRollback(); // leaves no trace; the input stays unacked with us
                }
                process(channel, id, input.getEnvelope().getDeliveryTag());
                channel.txCommit();
                committed.add(id);
            }
        } catch (Exception | AssertionError e) {
            if (killed.get()) {
                return null;
            }
            throw e;
        }
    }

    private static void process(Channel channel, int id, long inputTag) throws Exception {
        for (int output = 0; output < OUTPUTS; output++) {
            publishResult(channel, output, id);
        }
        channel.basicAck(inputTag, false);
    }

    /**
     * Reads every queue without consuming it and checks each input's state; returns how many inputs were
     * processed.
     */
    private int checkAllOrNothing(Connection connection, int round) throws Exception {
        List<Integer> inputs = ids(read(connection, INPUT), "");
        assertThat(inputs).as("round %d: inputs", round).doesNotHaveDuplicates();
        List<Set<Integer>> outputs = new ArrayList<>();
        for (int output = 0; output < OUTPUTS; output++) {
            List<Integer> results = ids(read(connection, output(output)), "out-");
            assertThat(results).as("round %d: results in %s", round, output(output)).doesNotHaveDuplicates();
            outputs.add(new HashSet<>(results));
        }
        Set<Integer> waiting = new HashSet<>(inputs);
        for (int id = 0; id < plan.inputs(); id++) {
            int seen = 0;
            for (Set<Integer> output : outputs) {
                seen += output.contains(id) ? 1 : 0;
            }
            boolean processed = seen == OUTPUTS && !waiting.contains(id);
            boolean untouched = seen == 0 && waiting.contains(id);
            assertThat(processed || untouched).as("round %d: input %d is in the input queue: %s, in %d of %d "
                    + "output queues: a transaction took effect in part", round, id, waiting.contains(id), seen,
                    OUTPUTS).isTrue();
            if (committed.contains(id)) {
                assertThat(processed).as("round %d: input %d got its commit-ok but was not processed", round, id)
                        .isTrue();
            }
        }
        return plan.inputs() - waiting.size();
    }

    private static void publishResult(Channel channel, int output, int id) throws Exception {
        channel.basicPublish("", output(output), new AMQP.BasicProperties.Builder().deliveryMode(2)
                .messageId("out-" + id).build(), ("out-" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Resends up to 10 committed results to the deduplicating output; returns how many. */
    private int resendCommittedResults(Connection connection) throws Exception {
        List<Integer> sample = new ArrayList<>(committed);
        Collections.shuffle(sample, random);
        sample = sample.subList(0, Math.min(10, sample.size()));
        Channel channel = connection.createChannel();
        long before = channel.messageCount(output(0));
        channel.confirmSelect();
        for (int id : sample) {
            publishResult(channel, 0, id);
        }
        channel.waitForConfirmsOrDie(HANG_GUARD.toMillis());
        assertThat(channel.messageCount(output(0))).as("resent results are confirmed and dropped")
                .isEqualTo(before);
        channel.close();
        return sample.size();
    }

    /** The bodies of a queue's messages, all left in the queue (closing the channel requeues them). */
    private static List<String> read(Connection connection, String queue) throws Exception {
        Channel channel = connection.createChannel();
        int count = channel.queueDeclarePassive(queue).getMessageCount();
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        channel.basicConsume(queue, false, (tag, delivery) ->
                bodies.add(new String(delivery.getBody(), StandardCharsets.UTF_8)), tag -> {
        });
        await().atMost(HANG_GUARD).until(() -> bodies.size() >= count);
        channel.close();
        return List.copyOf(bodies);
    }

    private static List<Integer> ids(List<String> bodies, String prefix) {
        return bodies.stream().map(body -> Integer.parseInt(body.substring(prefix.length()))).toList();
    }

    private void publishInputs(Connection connection) throws Exception {
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        for (int id = 0; id < plan.inputs(); id++) {
            channel.basicPublish("", INPUT, MessageProperties.PERSISTENT_BASIC,
                    Integer.toString(id).getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(HANG_GUARD.toMillis());
        channel.close();
    }

    private static void declareQueues(Connection connection) throws Exception {
        Channel channel = connection.createChannel();
        channel.queueDeclare(INPUT, true, false, false, null);
        for (int output = 0; output < OUTPUTS; output++) {
            channel.queueDeclare(output(output), true, false, false,
                    output == 0 ? Map.of("x-message-deduplication", true) : Map.of());
        }
        channel.close();
    }

    private static String output(int index) {
        return "tx-crash-out-" + index;
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
