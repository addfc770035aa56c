package io.ferrymq.core.queue;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueCommand.AddConsumer;
import io.ferrymq.core.queue.QueueCommand.Dispatch;
import io.ferrymq.core.queue.QueueCommand.Enqueue;
import io.ferrymq.core.queue.QueueCommand.Get;
import io.ferrymq.core.queue.QueueCommand.RemoveConsumer;
import io.ferrymq.core.queue.QueueCommand.Restore;
import io.ferrymq.core.queue.QueueCommand.Settle;
import io.ferrymq.core.queue.QueueCommand.Tick;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Priority levels, single active consumer and message groups of the pure machine. */
class QueueMachineOrderingTest {
    private static final long T0 = 1_000_000;

    private QueueMachine machine;
    private final List<QueueEffect> effects = new ArrayList<>();
    /** Credit left per consumer; a consumer not in the map has unlimited credit. */
    private final Map<Long, Integer> credit = new HashMap<>();

    private void declare(Map<String, Object> arguments) {
        QueueSettings settings = new QueueSettings("/", "q", "classic", false, 0, false, arguments);
        machine = new QueueMachine(QueueArguments.of(settings), OrderingArguments.of(settings),
                address -> message("paged-" + address, null, null));
    }

    private static Message message(String body, Integer priority, String group) {
        MessageProperties properties = new MessageProperties(null, null,
                group == null ? null : Map.of(OrderingArguments.GROUP_HEADER, group), null, priority, null, null,
                null, null, null, null, null, null, null);
        return new Message("", "q", properties, body.getBytes(StandardCharsets.UTF_8));
    }

    private List<QueueEffect> apply(QueueCommand command) {
        effects.clear();
        machine.apply(command, effects);
        return List.copyOf(effects);
    }

    private void enqueue(Integer priority, String group, String... bodies) {
        for (String body : bodies) {
            apply(new Enqueue(message(body, priority, group), T0));
        }
    }

    private List<Deliver> dispatch() {
        return apply(new Dispatch(id -> {
            Integer left = credit.get(id);
            if (left == null) {
                return true;
            }
            if (left == 0) {
                return false;
            }
            credit.put(id, left - 1);
            return true;
        }, T0)).stream().filter(Deliver.class::isInstance).map(Deliver.class::cast).toList();
    }

    private static List<String> bodies(List<Deliver> deliveries) {
        return deliveries.stream().map(d -> new String(d.entry().message().body(), StandardCharsets.UTF_8)).toList();
    }

    private static String body(Deliver deliver) {
        return new String(deliver.entry().message().body(), StandardCharsets.UTF_8);
    }

    private void settle(Deliver deliver, SettleOp op) {
        apply(new Settle(new long[]{deliver.deliveryId()}, op, T0));
    }

    // ---- priorities

    @Test
    void higherPriorityFirstFifoWithinAPriorityAndAboveTheMaximumIsTheMaximum() {
        declare(Map.of("x-max-priority", 5));
        enqueue(null, null, "p0-a");
        enqueue(3, null, "p3-a");
        enqueue(9, null, "p9-as-5");
        enqueue(5, null, "p5-a");
        enqueue(3, null, "p3-b");
        enqueue(0, null, "p0-b");
        apply(new AddConsumer(1, 0, false));
        assertThat(bodies(dispatch())).containsExactly("p9-as-5", "p5-a", "p3-a", "p3-b", "p0-a", "p0-b");
    }

    @Test
    void aQueueWithoutMaxPriorityIgnoresThePriorityProperty() {
        declare(Map.of());
        enqueue(1, null, "a");
        enqueue(9, null, "b");
        apply(new AddConsumer(1, 0, false));
        assertThat(bodies(dispatch())).containsExactly("a", "b");
    }

    @Test
    void aRequeuedMessageReturnsToItsPlaceWithinItsPriority() {
        declare(Map.of("x-max-priority", 2));
        enqueue(1, null, "low-a", "low-b");
        enqueue(2, null, "high-a", "high-b");
        Deliver highA = get();
        Deliver highB = get();
        Deliver lowA = get();
        settle(highB, SettleOp.REQUEUE);
        settle(lowA, SettleOp.REQUEUE);
        settle(highA, SettleOp.REQUEUE);
        apply(new AddConsumer(1, 0, false));
        assertThat(bodies(dispatch())).containsExactly("high-a", "high-b", "low-a", "low-b");
    }

    @Test
    void dropHeadDropsTheNextToBeDeliveredAsRabbitMqDoes() {
        declare(Map.of("x-max-priority", 2, "x-max-length", 2));
        enqueue(2, null, "high");
        enqueue(0, null, "low");
        List<QueueEffect> out = apply(new Enqueue(message("low-2", 0, null), T0));
        assertThat(out).singleElement().isInstanceOfSatisfying(Drop.class,
                drop -> assertThat(new String(drop.entry().message().body(), StandardCharsets.UTF_8))
                        .isEqualTo("high"));
    }

    @Test
    void restoredPagedMessagesKeepTheirPriority() {
        declare(Map.of("x-max-priority", 3));
        apply(new Restore(1, 11, 10, 1, null, null, null, T0));
        apply(new Restore(2, 12, 10, 1, null, 3, null, T0));
        apply(new Restore(3, 13, 10, 1, "100000", 7, null, T0));
        apply(new AddConsumer(1, 0, false));
        assertThat(bodies(dispatch())).containsExactly("paged-12", "paged-13", "paged-11");
    }

    @Test
    void maxPriorityIsCheckedAsRabbitMqDoes() {
        assertThatThrownBy(() -> declare(Map.of("x-max-priority", 256))).isInstanceOf(BrokerException.class)
                .hasMessageContaining("invalid arg 'x-max-priority' 256 for queue 'q' in vhost '/'");
        assertThatThrownBy(() -> declare(Map.of("x-max-priority", -1))).hasMessageContaining("x-max-priority");
        assertThatThrownBy(() -> declare(Map.of("x-max-priority", "10"))).hasMessageContaining("integer");
        assertThatThrownBy(() -> declare(Map.of("x-single-active-consumer", "yes")))
                .hasMessageContaining("invalid arg 'x-single-active-consumer'");
        assertThatThrownBy(() -> declare(Map.of("x-message-groups", 1)))
                .hasMessageContaining("invalid arg 'x-message-groups'");
    }

    private Deliver get() {
        return apply(new Get(false, T0)).stream().filter(Deliver.class::isInstance).map(Deliver.class::cast)
                .findFirst().orElseThrow();
    }

    // ---- single active consumer

    @Test
    void onlyTheFirstConsumerReceivesAndTheNextTakesOverWithTheUnackedInOrder() {
        declare(Map.of("x-single-active-consumer", true));
        apply(new AddConsumer(1, 0, false));
        apply(new AddConsumer(2, 0, false));
        credit.put(1L, 2);
        enqueue(null, null, "1", "2", "3", "4");
        List<Deliver> first = dispatch();
        assertThat(first).extracting(Deliver::consumerId).containsOnly(1L);
        assertThat(bodies(first)).containsExactly("1", "2");
        apply(new RemoveConsumer(1));
        assertThat(dispatch()).as("nothing moves while the old consumer's messages are unacked").isEmpty();
        settle(first.get(1), SettleOp.REQUEUE);
        assertThat(dispatch()).isEmpty();
        settle(first.get(0), SettleOp.REQUEUE);
        List<Deliver> second = dispatch();
        assertThat(second).extracting(Deliver::consumerId).containsOnly(2L);
        assertThat(bodies(second)).containsExactly("1", "2", "3", "4");
        assertThat(second.get(0).redelivered()).isTrue();
    }

    @Test
    void aHigherPriorityConsumerTakesOverOnceNothingIsUnacked() {
        declare(Map.of("x-single-active-consumer", true));
        apply(new AddConsumer(1, 0, false));
        credit.put(1L, 1);
        enqueue(null, null, "1", "2");
        Deliver one = dispatch().get(0);
        apply(new AddConsumer(2, 5, false));
        assertThat(dispatch()).isEmpty();
        settle(one, SettleOp.ACK);
        assertThat(dispatch()).extracting(Deliver::consumerId).containsExactly(2L);
    }

    @Test
    void anInactiveConsumerWithCreditGetsNothingWhileTheActiveOneHasNone() {
        declare(Map.of("x-single-active-consumer", true));
        apply(new AddConsumer(1, 0, false));
        apply(new AddConsumer(2, 0, false));
        credit.put(1L, 0);
        enqueue(null, null, "1");
        assertThat(dispatch()).isEmpty();
    }

    // ---- message groups

    @Test
    void aGroupStaysWithItsOwnerWhileOthersGoInParallel() {
        declare(Map.of("x-message-groups", true));
        apply(new AddConsumer(1, 0, false));
        apply(new AddConsumer(2, 0, false));
        credit.put(1L, 1);
        credit.put(2L, 1);
        enqueue(null, "a", "a1", "a2");
        enqueue(null, "b", "b1", "b2");
        List<Deliver> first = dispatch();
        assertThat(bodies(first)).containsExactly("a1", "b1");
        Deliver a1 = first.get(0);
        Deliver b1 = first.get(1);
        credit.put(b1.consumerId(), 1);
        assertThat(dispatch()).as("a2 waits for a1's consumer, b2 goes to its own").singleElement()
                .satisfies(d -> assertThat(body(d)).isEqualTo("b2"))
                .satisfies(d -> assertThat(d.consumerId()).isEqualTo(b1.consumerId()));
        credit.put(a1.consumerId(), 1);
        assertThat(dispatch()).singleElement().satisfies(d -> assertThat(body(d)).isEqualTo("a2"))
                .satisfies(d -> assertThat(d.consumerId()).isEqualTo(a1.consumerId()));
    }

    @Test
    void aGroupChangesOwnerOnlyWhenNothingOfItIsUnacked() {
        declare(Map.of("x-message-groups", true));
        apply(new AddConsumer(1, 0, false));
        credit.put(1L, 1);
        enqueue(null, "a", "a1", "a2");
        Deliver a1 = dispatch().get(0);
        apply(new AddConsumer(2, 0, false));
        assertThat(dispatch()).as("consumer 2 has credit, but a belongs to 1").isEmpty();
        apply(new RemoveConsumer(1));
        assertThat(dispatch()).isEmpty();
        settle(a1, SettleOp.REQUEUE);
        assertThat(dispatch()).extracting(QueueMachineOrderingTest::body).containsExactly("a1", "a2");
    }

    @Test
    void aRetryHoldsBackOnlyItsOwnGroup() {
        declare(Map.of("x-message-groups", true, "x-retry-delay", 1000));
        apply(new AddConsumer(1, 0, false));
        enqueue(null, "a", "a1", "a2");
        enqueue(null, "b", "b1");
        enqueue(null, null, "free");
        credit.put(1L, 1);
        Deliver a1 = dispatch().get(0);
        settle(a1, SettleOp.REQUEUE);
        credit.put(1L, 10);
        assertThat(dispatch()).extracting(QueueMachineOrderingTest::body).containsExactly("b1", "free");
        effects.clear();
        machine.apply(new Tick(T0 + 1000), effects);
        assertThat(dispatch()).extracting(QueueMachineOrderingTest::body).containsExactly("a1", "a2");
    }

    @Test
    void groupedMessagesPageAndComeBackWithTheirGroup() {
        declare(Map.of("x-message-groups", true));
        apply(new Restore(1, 11, 10, 1, null, null, "a", T0));
        apply(new Restore(2, 12, 10, 1, null, null, "a", T0));
        apply(new Restore(3, 13, 10, 1, null, null, "b", T0));
        apply(new AddConsumer(1, 0, false));
        apply(new AddConsumer(2, 0, false));
        credit.put(1L, 1);
        credit.put(2L, 1);
        List<Deliver> first = dispatch();
        assertThat(bodies(first)).containsExactly("paged-11", "paged-13");
        assertThat(machine.readyCount()).isEqualTo(1);
        credit.put(first.get(0).consumerId(), 1);
        assertThat(dispatch()).extracting(Deliver::consumerId).containsExactly(first.get(0).consumerId());
    }

    @Test
    void basicGetSkipsGroupsOwnedByAConsumer() {
        declare(Map.of("x-message-groups", true));
        apply(new AddConsumer(1, 0, false));
        credit.put(1L, 1);
        enqueue(null, "a", "a1", "a2");
        enqueue(null, "b", "b1");
        dispatch();
        assertThat(body(get())).isEqualTo("b1");
        assertThat(machine.readyCount()).isEqualTo(1);
    }
}
