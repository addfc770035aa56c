package io.ferrymq.core.queue;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import io.ferrymq.core.queue.QueueEffect.Refused;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command sequences against a machine with every failure argument set: no entry is ever lost or held twice,
 * and no expired entry is ever delivered.
 */
class QueueMachineConservationTest {

    @ParameterizedTest
    @ValueSource(strings = {"drop-head", "reject-publish", "reject-publish-dlx"})
    void everyAcceptedEntryIsReadyWaitingUnackedOrDroppedExactlyOnce(String overflow) {
        for (long seed = 1; seed <= 20; seed++) {
            run(new Random(seed), overflow);
        }
    }

    private static void run(Random random, String overflow) {
        QueueMachine machine = new QueueMachine(QueueArguments.of(new QueueSettings("/", "q", "classic", false, 0,
                false, Map.of("x-message-ttl", 500, "x-max-length", 20, "x-overflow", overflow,
                "x-delivery-limit", 3, "x-retry-delay", 10, "x-retry-multiplier", 2, "x-retry-max-delay", 80))));
        List<QueueEffect> effects = new ArrayList<>();
        Map<Long, QueueEntry> unacked = new HashMap<>();
        Set<Long> gone = new HashSet<>();
        long accepted = 0;
        long now = 0;
        machine.apply(new QueueCommand.AddConsumer(1, 0, false), effects);
        for (int step = 0; step < 3000; step++) {
            now += random.nextInt(5);
            effects.clear();
            int dice = random.nextInt(10);
            if (dice < 4) {
                String expiration = random.nextBoolean() ? null : Integer.toString(random.nextInt(100));
                machine.apply(new QueueCommand.Enqueue(new Message("", "q",
                        MessageProperties.EMPTY.withExpiration(expiration), new byte[1]), now), effects);
                if (machine.lastEnqueued() != null) {
                    accepted++;
                }
            } else if (dice < 6) {
                machine.apply(new QueueCommand.Dispatch(id -> unacked.size() < 5, now), effects);
            } else if (dice < 8 && !unacked.isEmpty()) {
                long id = new ArrayList<>(unacked.keySet()).get(random.nextInt(unacked.size()));
                SettleOp op = SettleOp.values()[random.nextInt(SettleOp.values().length)];
                unacked.remove(id);
                machine.apply(new QueueCommand.Settle(new long[]{id}, op, now), effects);
            } else {
                machine.apply(new QueueCommand.Tick(now), effects);
            }
            for (QueueEffect effect : effects) {
                if (effect instanceof Deliver deliver) {
                    assertThat(Expiry.expired(deliver.entry(), now)).as("an expired entry was delivered").isFalse();
                    assertThat(unacked.containsValue(deliver.entry())).as("an entry held twice").isFalse();
                    assertThat(gone).doesNotContain(deliver.entry().sequence());
                    unacked.put(deliver.deliveryId(), deliver.entry());
                } else if (effect instanceof Drop drop) {
                    assertThat(gone.add(drop.entry().sequence())).as("an entry dropped twice").isTrue();
                } else {
                    assertThat(effect).isInstanceOf(Refused.class);
                }
            }
            assertThat(machine.readyCount() + machine.unackedCount() + gone.size()).isEqualTo(accepted);
            assertThat(machine.unackedCount()).isEqualTo(unacked.size());
        }
    }
}
