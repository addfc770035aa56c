package io.ferrymq.core.queue;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueCommand.AddConsumer;
import io.ferrymq.core.queue.QueueCommand.Dispatch;
import io.ferrymq.core.queue.QueueCommand.Enqueue;
import io.ferrymq.core.queue.QueueCommand.Get;
import io.ferrymq.core.queue.QueueCommand.Settle;
import io.ferrymq.core.queue.QueueCommand.Tick;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import io.ferrymq.core.queue.QueueEffect.DropReason;
import io.ferrymq.core.queue.QueueEffect.Refused;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** TTL, length limits, delivery limits and retry back-off of the pure machine; time is whatever the test says. */
class QueueMachineFailureTest {
    private static final long T0 = 1_000_000;

    private QueueMachine machine;
    private final List<QueueEffect> effects = new ArrayList<>();

    private void declare(Map<String, Object> arguments) {
        machine = new QueueMachine(QueueArguments.of(new QueueSettings("/", "q", "classic", false, 0, false,
                arguments)));
    }

    private static Message message(String body, String expiration) {
        return new Message("", "q", MessageProperties.EMPTY.withExpiration(expiration),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private List<QueueEffect> apply(QueueCommand command) {
        effects.clear();
        machine.apply(command, effects);
        return List.copyOf(effects);
    }

    private void enqueue(long now, String... bodies) {
        for (String body : bodies) {
            apply(new Enqueue(message(body, null), now));
        }
    }

    private static List<String> bodies(List<QueueEffect> effects, Class<? extends QueueEffect> kind) {
        List<String> bodies = new ArrayList<>();
        for (QueueEffect effect : effects) {
            if (kind.isInstance(effect)) {
                QueueEntry entry = effect instanceof Deliver d ? d.entry() : ((Drop) effect).entry();
                bodies.add(new String(entry.message().body(), StandardCharsets.UTF_8));
            }
        }
        return bodies;
    }

    private static List<DropReason> reasons(List<QueueEffect> effects) {
        return effects.stream().filter(Drop.class::isInstance).map(e -> ((Drop) e).reason()).toList();
    }

    private Deliver get(long now) {
        List<QueueEffect> out = apply(new Get(false, now));
        return out.stream().filter(Deliver.class::isInstance).map(Deliver.class::cast).findFirst().orElse(null);
    }

    @Test
    void aMessageExpiresWhereItSitsNotOnlyAtTheHead() {
        declare(Map.of());
        apply(new Enqueue(message("long", "10000"), T0));
        apply(new Enqueue(message("short", "100"), T0));
        apply(new Enqueue(message("none", null), T0));
        assertThat(machine.nextDeadline()).isEqualTo(T0 + 101);
        assertThat(apply(new Tick(T0 + 100))).isEmpty();
        List<QueueEffect> out = apply(new Tick(T0 + 101));
        assertThat(bodies(out, Drop.class)).containsExactly("short");
        assertThat(reasons(out)).containsExactly(DropReason.EXPIRED);
        assertThat(machine.readyCount()).isEqualTo(2);
        assertThat(machine.nextDeadline()).isEqualTo(T0 + 10_001);
        assertThat(new String(get(T0 + 200).entry().message().body())).isEqualTo("long");
        assertThat(new String(get(T0 + 200).entry().message().body())).isEqualTo("none");
    }

    @Test
    void anExpiredMessageIsNeverDeliveredEvenBeforeItsTick() {
        declare(Map.of("x-message-ttl", 50));
        enqueue(T0, "a", "b");
        enqueue(T0 + 40, "c");
        List<QueueEffect> out = apply(new Get(false, T0 + 60));
        assertThat(reasons(out)).containsExactly(DropReason.EXPIRED, DropReason.EXPIRED);
        assertThat(bodies(out, Deliver.class)).containsExactly("c");
    }

    @Test
    void theQueueTtlAndTheMessageExpirationTakeTheEarlier() {
        declare(Map.of("x-message-ttl", 1000));
        apply(new Enqueue(message("own-shorter", "10"), T0));
        apply(new Enqueue(message("own-longer", "5000"), T0));
        assertThat(bodies(apply(new Tick(T0 + 11)), Drop.class)).containsExactly("own-shorter");
        assertThat(bodies(apply(new Tick(T0 + 1001)), Drop.class)).containsExactly("own-longer");
    }

    @Test
    void ttlZeroStillReachesAConsumerReadyInTheSameMillisecond() {
        declare(Map.of("x-message-ttl", 0));
        apply(new AddConsumer(7, 0, false));
        apply(new Enqueue(message("now", null), T0));
        assertThat(bodies(apply(new Dispatch(id -> true, T0)), Deliver.class)).containsExactly("now");
        apply(new Enqueue(message("later", null), T0));
        assertThat(reasons(apply(new Dispatch(id -> true, T0 + 1)))).containsExactly(DropReason.EXPIRED);
    }

    @Test
    void aRequeuedMessageWhoseTtlPassedExpiresInsteadOfComingBack() {
        declare(Map.of("x-message-ttl", 100));
        enqueue(T0, "a");
        Deliver deliver = get(T0 + 10);
        assertThat(machine.nextDeadline()).isEqualTo(Expiry.NEVER);
        List<QueueEffect> out = apply(new Settle(new long[]{deliver.deliveryId()}, SettleOp.REQUEUE, T0 + 200));
        assertThat(reasons(out)).containsExactly(DropReason.EXPIRED);
        assertThat(machine.readyCount()).isZero();
    }

    @Test
    void dropHeadDropsTheOldestToStayWithinTheLength() {
        declare(Map.of("x-max-length", 2));
        enqueue(T0, "1", "2");
        List<QueueEffect> out = apply(new Enqueue(message("3", null), T0));
        assertThat(bodies(out, Drop.class)).containsExactly("1");
        assertThat(reasons(out)).containsExactly(DropReason.MAXLEN);
        assertThat(machine.readyCount()).isEqualTo(2);
    }

    @Test
    void dropHeadAlsoKeepsTheByteLimit() {
        declare(Map.of("x-max-length-bytes", 5));
        enqueue(T0, "aa", "bb");
        List<QueueEffect> out = apply(new Enqueue(message("ccc", null), T0));
        assertThat(bodies(out, Drop.class)).containsExactly("aa");
        assertThat(apply(new Enqueue(message("d", null), T0))).hasSize(1);
    }

    @Test
    void rejectPublishRefusesTheNewMessageAndKeepsTheOld() {
        declare(Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
        enqueue(T0, "1");
        List<QueueEffect> out = apply(new Enqueue(message("2", null), T0));
        assertThat(out).singleElement().isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.deadLetter()).isFalse());
        assertThat(machine.lastEnqueued()).isNull();
        assertThat(machine.readyCount()).isEqualTo(1);
        declare(Map.of("x-max-length", 0, "x-overflow", "reject-publish-dlx"));
        assertThat(apply(new Enqueue(message("x", null), T0))).singleElement().isInstanceOfSatisfying(
                Refused.class, refused -> assertThat(refused.deadLetter()).isTrue());
    }

    @Test
    void unackedMessagesDoNotCountAgainstTheLength() {
        declare(Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
        enqueue(T0, "1");
        get(T0);
        assertThat(apply(new Enqueue(message("2", null), T0))).isEmpty();
    }

    @Test
    void overTheDeliveryLimitAFailedMessageLeaves() {
        declare(Map.of("x-delivery-limit", 1));
        enqueue(T0, "m");
        Deliver first = get(T0);
        assertThat(apply(new Settle(new long[]{first.deliveryId()}, SettleOp.REQUEUE, T0))).isEmpty();
        Deliver second = get(T0);
        assertThat(second.deliveryCount()).isEqualTo(1);
        List<QueueEffect> out = apply(new Settle(new long[]{second.deliveryId()}, SettleOp.REQUEUE, T0));
        assertThat(reasons(out)).containsExactly(DropReason.DELIVERY_LIMIT);
        assertThat(machine.readyCount()).isZero();
    }

    @Test
    void deliveryLimitZeroDeadLettersAtTheFirstFailure() {
        declare(Map.of("x-delivery-limit", 0));
        enqueue(T0, "m");
        Deliver first = get(T0);
        assertThat(reasons(apply(new Settle(new long[]{first.deliveryId()}, SettleOp.REQUEUE, T0))))
                .containsExactly(DropReason.DELIVERY_LIMIT);
    }

    @Test
    void retriesBackOffExactlyAndHoldNoConsumer() {
        declare(Map.of("x-retry-delay", 100, "x-retry-multiplier", 3, "x-retry-max-delay", 1000));
        apply(new AddConsumer(7, 0, false));
        enqueue(T0, "m");
        long now = T0;
        long[] expectedDelays = {100, 300, 900, 1000, 1000};
        for (long delay : expectedDelays) {
            Deliver deliver = (Deliver) apply(new Dispatch(id -> true, now)).get(0);
            apply(new Settle(new long[]{deliver.deliveryId()}, SettleOp.REQUEUE, now));
            assertThat(machine.nextDeadline()).isEqualTo(now + delay);
            assertThat(machine.readyCount()).isEqualTo(1);
            assertThat(machine.unackedCount()).isZero();
            // not a millisecond early, whoever asks
            assertThat(apply(new Dispatch(id -> true, now + delay - 1))).isEmpty();
            assertThat(apply(new Tick(now + delay - 1))).isEmpty();
            assertThat(apply(new Tick(now + delay))).isEmpty();
            now += delay;
        }
        assertThat(bodies(apply(new Dispatch(id -> true, now)), Deliver.class)).containsExactly("m");
    }

    @Test
    void aRetryKeepsItsPlaceAmongTheOthersOnceDue() {
        declare(Map.of("x-retry-delay", 50));
        enqueue(T0, "1", "2", "3");
        Deliver first = get(T0);
        apply(new Settle(new long[]{first.deliveryId()}, SettleOp.REQUEUE, T0));
        assertThat(new String(get(T0).entry().message().body())).isEqualTo("2");
        apply(new Tick(T0 + 50));
        assertThat(new String(get(T0 + 50).entry().message().body())).isEqualTo("1");
        assertThat(new String(get(T0 + 50).entry().message().body())).isEqualTo("3");
    }

    @Test
    void rejectWithoutRequeueIsARejection() {
        declare(Map.of("x-retry-delay", 50, "x-delivery-limit", 5));
        enqueue(T0, "m");
        Deliver deliver = get(T0);
        assertThat(reasons(apply(new Settle(new long[]{deliver.deliveryId()}, SettleOp.DISCARD, T0))))
                .containsExactly(DropReason.REJECTED);
    }

    @Test
    void purgeTakesWaitingRetriesToo() {
        declare(Map.of("x-retry-delay", 50));
        enqueue(T0, "1", "2");
        Deliver deliver = get(T0);
        apply(new Settle(new long[]{deliver.deliveryId()}, SettleOp.REQUEUE, T0));
        assertThat(reasons(apply(new QueueCommand.Purge(T0)))).containsExactly(DropReason.PURGED, DropReason.PURGED);
        assertThat(machine.readyCount()).isZero();
        assertThat(machine.nextDeadline()).isEqualTo(Expiry.NEVER);
    }
}
