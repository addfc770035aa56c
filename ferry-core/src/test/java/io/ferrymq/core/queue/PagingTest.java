package io.ferrymq.core.queue;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies paged out to the store: what stays in memory, and what comes back in which order. */
class PagingTest {
    private final List<Long> loads = new ArrayList<>();
    private final QueueMachine machine = new QueueMachine(QueueArguments.DEFAULTS, address -> {
        loads.add(address);
        if (address < 0) {
            throw new IllegalStateException("unreadable");
        }
        return message((int) address, 100);
    });
    private final List<QueueEffect> effects = new ArrayList<>();

    @Test
    void storedBodiesBeyondTheHeadWindowLeaveMemoryAndComeBackInOrder() {
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            apply(new QueueCommand.Enqueue(message(i, 100), 0));
            CompletableFuture<Long> write = new CompletableFuture<>();
            machine.lastEnqueued().stored(write);
            writes.add(write);
        }
        machine.pageOut(0, 10);
        assertThat(machine.heldBytes()).as("nothing leaves before its write completes").isEqualTo(500_000);

        for (int i = 0; i < 4000; i++) {
            writes.get(i).complete((long) i + 1);
        }
        machine.pageOut(1000, 10);
        assertThat(machine.heldBytes()).as("10 at the head and 1000 still being written stay")
                .isEqualTo(100 * (10 + 1000));
        assertThat(machine.messageBytes()).isEqualTo(500_000);

        writes.forEach(w -> w.complete(-1L));
        List<Long> order = new ArrayList<>();
        while (machine.readyCount() > 0) {
            apply(new QueueCommand.Get(true, 0));
            Deliver deliver = (Deliver) effects.get(0);
            assertThat(new String(deliver.entry().message().body(), 0, 8)).isEqualTo(label(deliver.entry().sequence()));
            order.add(deliver.entry().sequence());
        }
        assertThat(order).isSorted().hasSize(5000);
        assertThat(loads).hasSize(4000 - 10);
        assertThat(machine.heldBytes()).isZero();
        assertThat(machine.messageBytes()).isZero();
    }

    @Test
    void restoredEntriesArePagedAndAMovedOneGoesToItsPlace() {
        for (long sequence : new long[]{2, 3, 5, 1, 4}) {
            apply(new QueueCommand.Restore(sequence, sequence, 100, 1, null, null, null, 0));
        }
        assertThat(machine.heldBytes()).isZero();
        assertThat(machine.messageBytes()).isEqualTo(500);
        apply(new QueueCommand.Enqueue(message(6, 100), 0));

        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            apply(new QueueCommand.Get(false, 0));
            Deliver deliver = (Deliver) effects.get(0);
            assertThat(deliver.redelivered()).isEqualTo(deliver.entry().sequence() <= 5);
            order.add(deliver.entry().sequence());
        }
        assertThat(order).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(machine.heldBytes()).as("unacked bodies are in memory").isEqualTo(600);
    }

    @Test
    void anUnreadableBodyIsDroppedAsLostAndTheNextOneDelivered() {
        apply(new QueueCommand.Restore(1, -1, 100, 0, null, null, null, 0));
        apply(new QueueCommand.Restore(2, 2, 100, 0, null, null, null, 0));
        apply(new QueueCommand.Get(false, 0));

        assertThat(effects).hasSize(2);
        assertThat(((Drop) effects.get(0)).reason()).isEqualTo(QueueEffect.DropReason.LOST);
        assertThat(((Deliver) effects.get(1)).entry().sequence()).isEqualTo(2);
        assertThat(machine.readyCount()).isZero();
        assertThat(machine.messageBytes()).isEqualTo(100);
    }

    @Test
    void aRequeuedPagedEntryKeepsItsBodyAndPlace() {
        apply(new QueueCommand.Restore(1, 1, 100, 0, null, null, null, 0));
        apply(new QueueCommand.Restore(2, 2, 100, 0, null, null, null, 0));
        apply(new QueueCommand.Get(false, 0));
        long deliveryId = ((Deliver) effects.get(0)).deliveryId();
        apply(new QueueCommand.Settle(new long[]{deliveryId}, SettleOp.REQUEUE, 0));

        apply(new QueueCommand.Get(true, 0));
        assertThat(((Deliver) effects.get(0)).entry().sequence()).isEqualTo(1);
        assertThat(loads).containsExactly(1L);
    }

    @Test
    void purgeDropsPagedEntriesWithoutReadingThem() {
        for (int i = 1; i <= 3000; i++) {
            apply(new QueueCommand.Restore(i, i, 10, 0, null, null, null, 0));
        }
        apply(new QueueCommand.Purge(0));
        assertThat(effects).hasSize(3000).allMatch(e -> e instanceof Drop);
        assertThat(loads).isEmpty();
        assertThat(machine.messageBytes()).isZero();
    }

    @Test
    void oneDispatchHandsOutABatchSoThatAPagedBacklogIsNotLoadedAtOnce() {
        for (int i = 1; i <= 1000; i++) {
            apply(new QueueCommand.Restore(i, i, 100, 0, null, null, null, 0));
        }
        apply(new QueueCommand.AddConsumer(7, 0, true));
        int batches = 0;
        do {
            apply(new QueueCommand.Dispatch(id -> true, 0));
            assertThat(effects).hasSizeLessThanOrEqualTo(QueueMachine.DISPATCH_BATCH);
            assertThat(machine.heldBytes()).isZero();
            batches++;
        } while (machine.dispatchCutShort());
        assertThat(batches).isEqualTo(4);
        assertThat(machine.readyCount()).isZero();
    }

    @Test
    void aRestoredMessageWithATtlExpiresWhereItSitsWithoutBeingRead() {
        QueueArguments ttl = new QueueArguments(1000, QueueArguments.NONE, null, null, QueueArguments.NONE,
                QueueArguments.NONE, Overflow.DROP_HEAD, QueueArguments.NONE, QueueArguments.NONE,
                QueueArguments.NONE, 1.0, QueueArguments.NONE);
        QueueMachine timed = new QueueMachine(ttl, address -> message((int) address, 100));
        timed.apply(new QueueCommand.Restore(1, 1, 100, 0, null, null, null, 0), effects);
        timed.apply(new QueueCommand.Restore(2, 2, 100, 0, "10", null, null, 0), effects);
        assertThat(timed.heldBytes()).isZero();
        assertThat(timed.nextDeadline()).isEqualTo(11);

        timed.apply(new QueueCommand.Tick(11), effects);
        assertThat(effects).singleElement().satisfies(effect -> {
            assertThat(((Drop) effect).reason()).isEqualTo(QueueEffect.DropReason.EXPIRED);
            assertThat(((Drop) effect).entry().sequence()).isEqualTo(2);
            assertThat(((Drop) effect).entry().message()).as("not read to expire").isNull();
        });
        effects.clear();
        timed.apply(new QueueCommand.Get(true, 500), effects);
        assertThat(((Deliver) effects.get(0)).entry().sequence()).isEqualTo(1);
        assertThat(timed.messageBytes()).isZero();
    }

    @Test
    void aLengthLimitDropsPagedHeadsWithoutReadingThem() {
        QueueArguments maxLength = new QueueArguments(QueueArguments.NONE, QueueArguments.NONE, null, null, 2,
                QueueArguments.NONE, Overflow.DROP_HEAD, QueueArguments.NONE, QueueArguments.NONE,
                QueueArguments.NONE, 1.0, QueueArguments.NONE);
        QueueMachine limited = new QueueMachine(maxLength, address -> message((int) address, 100));
        limited.apply(new QueueCommand.Restore(1, 1, 100, 0, null, null, null, 0), effects);
        limited.apply(new QueueCommand.Restore(2, 2, 100, 0, null, null, null, 0), effects);
        limited.apply(new QueueCommand.Enqueue(message(3, 100), 0), effects);

        assertThat(effects).singleElement().satisfies(effect -> {
            assertThat(((Drop) effect).reason()).isEqualTo(QueueEffect.DropReason.MAXLEN);
            assertThat(((Drop) effect).entry().sequence()).isEqualTo(1);
        });
        assertThat(limited.readyCount()).isEqualTo(2);
        assertThat(limited.messageBytes()).isEqualTo(200);
        assertThat(limited.heldBytes()).isEqualTo(100);
    }

    private void apply(QueueCommand command) {
        effects.clear();
        machine.apply(command, effects);
    }

    private static String label(long sequence) {
        return String.format("%08d", sequence);
    }

    private static Message message(int sequence, int size) {
        byte[] body = new byte[size];
        byte[] label = label(sequence).getBytes();
        System.arraycopy(label, 0, body, 0, label.length);
        return new Message("", "q", MessageProperties.EMPTY, body);
    }
}
