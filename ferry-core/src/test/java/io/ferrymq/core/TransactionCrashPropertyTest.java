package io.ferrymq.core;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.SimulatedDisk;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * G5 against a model: random interleavings of transactional gets, acks, publishes (to two durable queues through a
 * fanout), commits, rollbacks and crashes of the disk under the store (torn writes included), some right after a
 * commit was sent. After each restart the queues hold exactly what the model says: every committed effect, no
 * uncommitted one, and a commit cut by the crash either wholly or not at all.
 */
class TransactionCrashPropertyTest {
    private static final BrokerConfig CONFIG = new BrokerConfig("guest", "guest", 1L << 40, 1024 * 1024);
    private static final StoreConfig STORE = StoreConfig.defaults().withSegmentBytes(1 << 16);
    private static final MessageProperties PERSISTENT = new MessageProperties(null, null, null, 2, null, null, null,
            null, null, null, null, null, null, null);
    private static final int INPUTS = 12;

    enum Step { GET, ACK, PUBLISH, COMMIT, ROLLBACK, CRASH, COMMIT_AND_CRASH }

    @Provide
    Arbitrary<List<Step>> runs() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(Step.GET)),
                Tuple.of(4, Arbitraries.just(Step.ACK)),
                Tuple.of(5, Arbitraries.just(Step.PUBLISH)),
                Tuple.of(4, Arbitraries.just(Step.COMMIT)),
                Tuple.of(2, Arbitraries.just(Step.ROLLBACK)),
                Tuple.of(1, Arbitraries.just(Step.CRASH)),
                Tuple.of(2, Arbitraries.just(Step.COMMIT_AND_CRASH))).list().ofMinSize(5).ofMaxSize(40);
    }

    @Property(tries = 100)
    void committedEffectsSurviveAndUncommittedOnesNeverShow(@ForAll("runs") List<Step> steps, @ForAll long seed) {
        new Run(new SimulatedDisk(seed)).play(steps);
    }

    /** One run: the broker on a simulated disk, and the model of what the queues must hold. */
    private static final class Run {
        private final SimulatedDisk disk;
        private final ManualClock clock = new ManualClock();
        private JournalPersistence store;
        private Session session;
        // the model
        private final Set<String> inputs = new HashSet<>();
        private final List<String> results = new ArrayList<>();
        private final Map<Long, String> unacked = new LinkedHashMap<>();
        private final Map<Long, String> pendingAcks = new LinkedHashMap<>();
        private final List<String> pendingResults = new ArrayList<>();
        private int nextResult;

        Run(SimulatedDisk disk) {
            this.disk = disk;
        }

        void play(List<Step> steps) {
            start();
            join(session.declareExchange(new ExchangeDeclaration("fan", "fanout", false, true, false, false,
                    Map.of())));
            for (String queue : List.of("in", "out1", "out2")) {
                join(session.declareQueue(new QueueDeclaration(queue, false, true, false, false, Map.of())));
            }
            join(session.bindQueue("out1", "fan", "", Map.of()));
            join(session.bindQueue("out2", "fan", "", Map.of()));
            for (int i = 0; i < INPUTS; i++) {
                inputs.add("in-" + i);
                assertThat(join(session.publish(request("", "in", "in-" + i)))).isEqualTo(PublishOutcome.ROUTED);
            }
            join(session.txSelect());
            for (Step step : steps) {
                apply(step);
            }
            store.close();
        }

        private void apply(Step step) {
            switch (step) {
                case GET -> {
                    GetResult got = join(session.get("in", false));
                    if (!got.isEmpty()) {
                        unacked.put(got.delivery().deliveryTag(), body(got));
                    }
                }
                case ACK -> {
                    if (!unacked.isEmpty()) {
                        long tag = unacked.keySet().iterator().next();
                        session.settle(tag, false, SettleOp.ACK);
                        pendingAcks.put(tag, unacked.remove(tag));
                    }
                }
                case PUBLISH -> {
                    String result = "r-" + nextResult++;
                    session.publish(request("fan", "", result));
                    pendingResults.add(result);
                }
                case COMMIT -> {
                    join(session.txCommit());
                    committed();
                }
                case ROLLBACK -> {
                    join(session.txRollback());
                    pendingResults.clear();
                    unacked.putAll(pendingAcks);
                    pendingAcks.clear();
                }
                case CRASH -> {
                    disk.crash(SimulatedDisk.Crash.KEEP_RANDOM_PREFIX);
                    restartAndCheck(false);
                }
                case COMMIT_AND_CRASH -> commitAndCrash();
            }
        }

        /**
         * Sends a commit and crashes the disk while the store is about to force it (when it writes anything): the
         * crash keeps a random prefix of the unforced bytes, so the commit's record may be whole, torn or absent.
         */
        private void commitAndCrash() {
            boolean writes = !pendingResults.isEmpty() || !pendingAcks.isEmpty();
            CountDownLatch forcing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            if (writes) {
                disk.onForce(() -> {
                    forcing.countDown();
                    awaitQuietly(release);
                });
            }
            CompletableFuture<Void> commit = session.txCommit().toCompletableFuture();
            if (writes) {
                awaitQuietly(forcing);
            }
            disk.crash(SimulatedDisk.Crash.KEEP_RANDOM_PREFIX);
            disk.onForce(() -> {
            });
            release.countDown();
            // a commit-ok that arrived before the crash binds; otherwise it may have happened or not
            boolean acknowledged = commit.isDone() && !commit.isCompletedExceptionally();
            if (acknowledged) {
                committed();
            }
            restartAndCheck(!acknowledged);
        }

        private void committed() {
            results.addAll(pendingResults);
            pendingResults.clear();
            pendingAcks.values().forEach(inputs::remove);
            pendingAcks.clear();
        }

        /** Restarts on what the disk kept and checks the queues against the model; an open commit may go either way. */
        private void restartAndCheck(boolean commitInDoubt) {
            store.close();
            start();
            List<String> out1 = read("out1");
            List<String> out2 = read("out2");
            Set<String> in = new HashSet<>(read("in"));
            List<String> withPending = new ArrayList<>(results);
            withPending.addAll(pendingResults);
            Set<String> inWithPending = new HashSet<>(inputs);
            pendingAcks.values().forEach(inWithPending::remove);
            boolean tookEffect = commitInDoubt && out1.equals(withPending) && in.equals(inWithPending)
                    && !(pendingResults.isEmpty() && pendingAcks.isEmpty());
            if (tookEffect) {
                committed();
            }
            assertThat(out1).as("out1 after a crash (commit in doubt: %s)", commitInDoubt)
                    .containsExactlyElementsOf(results);
            assertThat(out2).as("out2 after a crash").containsExactlyElementsOf(results);
            assertThat(in).as("inputs after a crash").isEqualTo(inputs);
            pendingResults.clear();
            pendingAcks.clear();
            unacked.clear();
            join(session.txSelect());
        }

        private void start() {
            store = JournalPersistence.at(disk.mount(), STORE);
            session = connect(new LocalBroker(CONFIG, clock, store), "c").openSession();
        }

        /** A queue's bodies in order, left in it (a session of their own, closed: they are requeued). */
        private List<String> read(String queue) {
            Session reader = session;
            List<String> bodies = new ArrayList<>();
            List<Long> tags = new ArrayList<>();
            GetResult got;
            while (!(got = join(reader.get(queue, false))).isEmpty()) {
                bodies.add(body(got));
                tags.add(got.delivery().deliveryTag());
            }
            for (long tag : tags) {
                reader.settle(tag, false, SettleOp.REQUEUE);
            }
            return bodies;
        }
    }

    /** Waits for a latch the test controls; the bound only guards against a hang. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new AssertionError("the store never reached its force");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String body(GetResult got) {
        return new String(got.delivery().message().body(), StandardCharsets.UTF_8);
    }

    private static PublishRequest request(String exchange, String routingKey, String body) {
        return new PublishRequest(new Message(exchange, routingKey, PERSISTENT, body.getBytes(StandardCharsets.UTF_8)),
                false);
    }
}
