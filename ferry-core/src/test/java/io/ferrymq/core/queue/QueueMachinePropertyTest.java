package io.ferrymq.core.queue;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command sequences against a model of what a queue must do: every message is in exactly
 * one place, the head (lowest sequence) is always what leaves next, requeued messages come back
 * to their original place and count their deliveries, credit and priorities are respected, and
 * paging bodies out to the store changes nothing a consumer sees (two in three messages are
 * "stored"; a paged one is read back by the loader, which rebuilds it from its address).
 */
class QueueMachinePropertyTest {

    /** One step of a generated run. */
    sealed interface Step {
    }

    record EnqueueStep(int bodySize) implements Step {
    }

    record AddStep(int consumer, int priority, boolean noAck, int prefetch) implements Step {
    }

    record RemoveStep(int consumer) implements Step {
    }

    record DispatchStep() implements Step {
    }

    record GetStep(boolean noAck) implements Step {
    }

    record SettleStep(int pick, SettleOp op) implements Step {
    }

    record PurgeStep() implements Step {
    }

    record ReturnStep() implements Step {
    }

    /** Pages stored ready bodies out until at most {@code limit} bytes stay in memory. */
    record PageOutStep(int limit, int keepHead) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 64).map(EnqueueStep::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(0, 2), Arbitraries.of(true, false, false, false),
                        Arbitraries.integers().between(0, 3)).as(AddStep::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4).map(RemoveStep::new)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new DispatchStep())),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(GetStep::new)),
                net.jqwik.api.Tuple.of(5, net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 50),
                        Arbitraries.of(SettleOp.class)).as(SettleStep::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ReturnStep())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new PurgeStep())),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 200),
                        Arbitraries.integers().between(0, 3)).as(PageOutStep::new)));
        return step.list().ofMaxSize(120);
    }

    @Property(tries = 400)
    void noMessageIsLostDuplicatedOrReordered(@ForAll("runs") List<Step> run) {
        new Model().run(run);
    }

    /** What the machine must hold, rebuilt from the effects it emits. */
    private static final class Model {
        final QueueMachine machine = new QueueMachine(QueueArguments.DEFAULTS, address -> message(address / 1000, (int) (address % 1000)));
        final List<QueueEffect> effects = new ArrayList<>();
        final TreeSet<Long> ready = new TreeSet<>();
        final Map<Long, Long> sizes = new HashMap<>();
        final Map<Long, Integer> deliveries = new HashMap<>();
        /** delivery id → (entry, consumer) for unacknowledged deliveries, oldest first. */
        final LinkedHashMap<Long, Deliver> unacked = new LinkedHashMap<>();
        final Map<Integer, AddStep> consumers = new HashMap<>();
        final Map<Integer, Integer> inFlight = new HashMap<>();
        long published;
        long gone;
        long nextSequence = 1;
        long now;

        void run(List<Step> steps) {
            for (Step step : steps) {
                now += 10;
                apply(step);
                check();
            }
        }

        void apply(Step step) {
            if (step instanceof EnqueueStep enqueue) {
                long sequence = nextSequence++;
                published++;
                ready.add(sequence);
                sizes.put(sequence, (long) enqueue.bodySize());
                exec(new QueueCommand.Enqueue(message(sequence, enqueue.bodySize()), now));
                if (enqueue.bodySize() % 3 != 0) {
                    // the store wrote it: the address encodes what the loader needs to rebuild it
                    long address = sequence * 1000 + enqueue.bodySize();
                    machine.lastEnqueued().stored(java.util.concurrent.CompletableFuture.completedFuture(address));
                }
            } else if (step instanceof AddStep add && !consumers.containsKey(add.consumer())) {
                consumers.put(add.consumer(), add);
                inFlight.put(add.consumer(), 0);
                exec(new QueueCommand.AddConsumer(add.consumer(), add.priority(), add.noAck()));
            } else if (step instanceof RemoveStep remove && consumers.remove(remove.consumer()) != null) {
                exec(new QueueCommand.RemoveConsumer(remove.consumer()));
            } else if (step instanceof DispatchStep) {
                exec(new QueueCommand.Dispatch(this::credit, now));
                // work-conserving: ready messages left means no consumer has credit
                if (!ready.isEmpty()) {
                    consumers.values().forEach(c -> assertThat(hasCredit(c)).as("idle %s", c).isFalse());
                }
            } else if (step instanceof GetStep get) {
                exec(new QueueCommand.Get(get.noAck(), now));
            } else if (step instanceof SettleStep settle && !unacked.isEmpty()) {
                Deliver deliver = new ArrayList<>(unacked.values()).get(settle.pick() % unacked.size());
                forget(deliver);
                if (settle.op() == SettleOp.REQUEUE) {
                    ready.add(deliver.entry().sequence());
                } else {
                    gone++;
                }
                exec(new QueueCommand.Settle(new long[]{deliver.deliveryId()}, settle.op(), now));
            } else if (step instanceof ReturnStep && !unacked.isEmpty()) {
                // the newest delivery never reached its consumer
                Deliver deliver = new ArrayList<>(unacked.values()).get(unacked.size() - 1);
                forget(deliver);
                ready.add(deliver.entry().sequence());
                deliveries.merge(deliver.entry().sequence(), -1, Integer::sum);
                exec(new QueueCommand.Return(deliver.deliveryId(), deliver.entry(), now));
            } else if (step instanceof PageOutStep page) {
                exec(null);
                machine.pageOut(page.limit(), page.keepHead());
            } else if (step instanceof PurgeStep) {
                gone += ready.size();
                ready.clear();
                exec(new QueueCommand.Purge(now));
            }
        }

        void forget(Deliver deliver) {
            unacked.remove(deliver.deliveryId());
            if (deliver.consumerId() != QueueMachine.NO_CONSUMER) {
                inFlight.merge((int) deliver.consumerId(), -1, Integer::sum);
            }
        }

        /** The gate: credit while under the prefetch (0: unlimited); no higher priority may be skipped. */
        boolean credit(long consumerId) {
            AddStep consumer = consumers.get((int) consumerId);
            assertThat(consumer).as("gate asked about unknown consumer %d", consumerId).isNotNull();
            if (!hasCredit(consumer)) {
                return false;
            }
            consumers.values().stream().filter(other -> other.priority() > consumer.priority())
                    .forEach(other -> assertThat(hasCredit(other)).as("%s skipped for %s", other, consumer).isFalse());
            if (!consumer.noAck()) {
                inFlight.merge(consumer.consumer(), 1, Integer::sum);
            }
            return true;
        }

        boolean hasCredit(AddStep consumer) {
            return consumer.noAck() || consumer.prefetch() == 0
                    || inFlight.get(consumer.consumer()) < consumer.prefetch();
        }

        void exec(QueueCommand command) {
            effects.clear();
            if (command != null) {
                machine.apply(command, effects);
            }
            for (QueueEffect effect : effects) {
                if (effect instanceof Deliver deliver) {
                    long sequence = deliver.entry().sequence();
                    assertThat(ready).as("delivered entry must be ready").contains(sequence);
                    assertThat(sequence).as("the head leaves first").isEqualTo(ready.first());
                    ready.remove(sequence);
                    Message delivered = deliver.entry().message();
                    assertThat(delivered).as("a delivery carries its body").isNotNull();
                    assertThat(delivered.body()).isEqualTo(message(sequence, sizes.get(sequence).intValue()).body());
                    int before = deliveries.getOrDefault(sequence, 0);
                    assertThat(deliver.deliveryCount()).isEqualTo(before);
                    assertThat(deliver.redelivered()).isEqualTo(before > 0);
                    deliveries.put(sequence, before + 1);
                    if (deliver.settled()) {
                        gone++;
                    } else {
                        unacked.put(deliver.deliveryId(), deliver);
                    }
                } else if (effect instanceof Drop drop) {
                    assertThat(ready).doesNotContain(drop.entry().sequence());
                    assertThat(unacked.values()).noneMatch(d -> d.entry() == drop.entry());
                }
            }
        }

        void check() {
            assertThat(machine.readyCount()).isEqualTo(ready.size());
            assertThat(machine.unackedCount()).isEqualTo(unacked.size());
            assertThat(machine.consumerCount()).isEqualTo(consumers.size());
            assertThat((long) ready.size() + unacked.size() + gone).isEqualTo(published);
            long held = ready.stream().mapToLong(sizes::get).sum()
                    + unacked.values().stream().mapToLong(d -> sizes.get(d.entry().sequence())).sum();
            assertThat(machine.messageBytes()).isEqualTo(held);
            assertThat(machine.heldBytes()).isBetween(0L, held);
        }

        static Message message(long sequence, int size) {
            byte[] body = new byte[size];
            java.util.Arrays.fill(body, (byte) sequence);
            return new Message("", "q", MessageProperties.EMPTY, body);
        }
    }
}
