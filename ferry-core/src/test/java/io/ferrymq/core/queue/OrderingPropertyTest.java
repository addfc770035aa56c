package io.ferrymq.core.queue;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random consumers joining, cancelling (their deliveries stay unacknowledged until settled), dying (their
 * deliveries come back), acking, nacking and rejecting, against the ordering rules:
 * <ul>
 *   <li>priority queue: every delivery is the ready entry of the highest priority, lowest sequence (so one
 *   publisher's messages of one priority come in publish order, requeued ones back at their place);</li>
 *   <li>single active consumer: unacknowledged entries are only ever held by one consumer, and every delivery is
 *   the lowest sequence still queued, redeliveries included;</li>
 *   <li>message groups (with retries): a group's unacknowledged entries are held by one consumer at a time, and
 *   every delivery of a group is its lowest sequence still queued (ready or waiting for a retry).</li>
 * </ul>
 */
class OrderingPropertyTest {

    enum Mode { PRIORITIES, SINGLE_ACTIVE, GROUPS }

    sealed interface Step {
    }

    record Publish(int priority, int group) implements Step {
    }

    record Join(int consumer, int priority, int prefetch) implements Step {
    }

    /** basic.cancel: the consumer goes, its deliveries stay unacknowledged. */
    record Cancel(int consumer) implements Step {
    }

    /** The consumer's channel closes: it goes and its deliveries come back. */
    record Die(int consumer) implements Step {
    }

    record Settle(int pick, SettleOp op) implements Step {
    }

    record Pass(int millis) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 3)).as(Publish::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3)).as(Join::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 4).map(Cancel::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 4).map(Die::new)),
                Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 50),
                        Arbitraries.of(SettleOp.class)).as(Settle::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 20).map(Pass::new)));
        return step.list().ofMaxSize(150);
    }

    @Property(tries = 300)
    void priorityOrderHolds(@ForAll("runs") List<Step> steps) {
        new Run(Mode.PRIORITIES, Map.of("x-max-priority", 2)).play(steps);
    }

    @Property(tries = 300)
    void singleActiveConsumerOrderHolds(@ForAll("runs") List<Step> steps) {
        new Run(Mode.SINGLE_ACTIVE, Map.of("x-single-active-consumer", true)).play(steps);
    }

    @Property(tries = 300)
    void perGroupOrderHolds(@ForAll("runs") List<Step> steps) {
        new Run(Mode.GROUPS, Map.of("x-message-groups", true, "x-retry-delay", 5)).play(steps);
    }

    /** The machine and a model of where each entry is. */
    private static final class Run {
        private final Mode mode;
        private final QueueMachine machine;
        private final List<QueueEffect> effects = new ArrayList<>();
        /** Queued (ready or waiting) entries by sequence, with their priority and group. */
        private final Map<Long, int[]> queued = new HashMap<>();
        /** (priority, group) of every entry delivered so far, by sequence. */
        private final Map<Long, int[]> places = new HashMap<>();
        /** Unacknowledged: delivery id to (sequence, consumer). */
        private final Map<Long, long[]> unacked = new HashMap<>();
        private final Map<Long, Integer> prefetch = new HashMap<>();
        private final Map<Long, Integer> inFlight = new HashMap<>();
        private final Set<Long> members = new HashSet<>();
        private long nextSequence = 1;
        private long now = 1_000;

        Run(Mode mode, Map<String, Object> arguments) {
            this.mode = mode;
            QueueSettings settings = new QueueSettings("/", "q", "classic", false, 0, false, arguments);
            this.machine = new QueueMachine(QueueArguments.of(settings), OrderingArguments.of(settings),
                    BodyLoader.NONE);
        }

        void play(List<Step> steps) {
            for (Step step : steps) {
                if (step instanceof Publish publish) {
                    int group = mode == Mode.GROUPS ? publish.group() : -1;
                    MessageProperties properties = new MessageProperties(null, null,
                            group < 0 || group == 3 ? null : Map.of(OrderingArguments.GROUP_HEADER, "g" + group),
                            null, mode == Mode.PRIORITIES ? publish.priority() : null, null, null, null, null, null,
                            null, null, null, null);
                    queued.put(nextSequence++, new int[]{mode == Mode.PRIORITIES ? Math.min(publish.priority(), 2)
                            : 0, group == 3 ? -1 : group});
                    apply(new QueueCommand.Enqueue(new Message("", "q", properties, new byte[1]), now));
                } else if (step instanceof Join join && members.add((long) join.consumer())) {
                    prefetch.put((long) join.consumer(), join.prefetch());
                    apply(new QueueCommand.AddConsumer(join.consumer(), join.priority(), false));
                } else if (step instanceof Cancel cancel && members.remove((long) cancel.consumer())) {
                    apply(new QueueCommand.RemoveConsumer(cancel.consumer()));
                } else if (step instanceof Die die && members.remove((long) die.consumer())) {
                    apply(new QueueCommand.RemoveConsumer(die.consumer()));
                    long[] ids = unacked.entrySet().stream().filter(e -> e.getValue()[1] == die.consumer())
                            .mapToLong(Map.Entry::getKey).sorted().toArray();
                    settle(ids, SettleOp.REQUEUE);
                } else if (step instanceof Settle settle && !unacked.isEmpty()) {
                    List<Long> ids = new ArrayList<>(unacked.keySet());
                    ids.sort(Comparator.naturalOrder());
                    settle(new long[]{ids.get(settle.pick() % ids.size())}, settle.op());
                } else if (step instanceof Pass pass) {
                    now += pass.millis();
                    apply(new QueueCommand.Tick(now));
                }
                apply(new QueueCommand.Dispatch(this::reserve, now));
            }
        }

        private boolean reserve(long consumer) {
            int limit = prefetch.get(consumer);
            int used = inFlight.getOrDefault(consumer, 0);
            if (limit != 0 && used >= limit) {
                return false;
            }
            inFlight.put(consumer, used + 1);
            return true;
        }

        private void settle(long[] ids, SettleOp op) {
            for (long id : ids) {
                long[] held = unacked.remove(id);
                inFlight.merge(held[1], -1, Integer::sum);
                if (op == SettleOp.REQUEUE) {
                    queued.put(held[0], places.get(held[0]));
                }
            }
            apply(new QueueCommand.Settle(ids, op, now));
        }

        private void apply(QueueCommand command) {
            effects.clear();
            machine.apply(command, effects);
            for (QueueEffect effect : effects) {
                if (effect instanceof Deliver deliver) {
                    check(deliver);
                } else if (effect instanceof Drop drop) {
                    queued.remove(drop.entry().sequence());
                }
            }
        }

        private void check(Deliver deliver) {
            long sequence = deliver.entry().sequence();
            int[] place = queued.remove(sequence);
            assertThat(place).as("delivered entry %d was queued", sequence).isNotNull();
            places.put(sequence, place);
            switch (mode) {
                case PRIORITIES -> queued.forEach((other, p) -> assertThat(p[0] > place[0]
                        || p[0] == place[0] && other < sequence).as("%d delivered before %d", sequence, other)
                        .isFalse());
                case SINGLE_ACTIVE -> {
                    assertThat(queued.keySet()).allMatch(other -> other > sequence);
                    assertThat(unacked.values()).allMatch(held -> held[1] == deliver.consumerId());
                }
                case GROUPS -> {
                    if (place[1] >= 0) {
                        queued.forEach((other, p) -> assertThat(p[1] == place[1] && other < sequence)
                                .as("group %d: %d delivered before %d", place[1], sequence, other).isFalse());
                        unacked.values().stream().filter(held -> places.get(held[0])[1] == place[1])
                                .forEach(held -> assertThat(held[1]).as("owner of group %d", place[1])
                                        .isEqualTo(deliver.consumerId()));
                    }
                }
            }
            unacked.put(deliver.deliveryId(), new long[]{sequence, deliver.consumerId()});
        }
    }
}
