package io.ferrymq.core.session;

import io.ferrymq.common.Clock;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.alarm.Alarms;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.queue.ClassicQueueType;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueContext;
import io.ferrymq.core.queue.QueueHost;
import io.ferrymq.core.timer.ClockScheduler;
import io.ferrymq.common.message.LongString;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.vhost.Names;
import io.ferrymq.core.vhost.VirtualHost;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A queue that refuses a publish (a length limit with {@code x-overflow: reject-publish}) makes a transaction
 * publishing to it fail its commit as a whole, and what it had reserved elsewhere is given up.
 */
class TransactionRefusalTest {
    private static final MessageProperties WITH_ID = new MessageProperties(null, null, null, null, null, null, null,
            null, "key-1", null, null, null, null, null);

    private final BrokerStats stats = new BrokerStats();
    private final VirtualHost vhost = new VirtualHost("/", new QueueContext(Clock.system(),
            new MemoryMonitor(1L << 40, new Alarms()), stats, Persistence.NONE,
            ClockScheduler.manual(Clock.system()), QueueHost.NONE, QueueContext.DEFAULT_RESIDENT_BYTES),
            Map.of("classic", new ClassicQueueType()), new Names());
    private final List<List<UnackedDelivery>> givenBack = new ArrayList<>();

    @Test
    void aRefusedPublishFailsTheWholeCommitAndGivesUpWhatWasReserved() {
        Queue ok = vhost.declareQueue(new QueueDeclaration("ok", false, false, false, false,
                Map.of("x-message-deduplication", true)), 1, false);
        Queue full = vhost.declareQueue(new QueueDeclaration("full", false, false, false, false,
                Map.of("x-max-length", 1, "x-overflow", LongString.of("reject-publish"))), 1, false);
        assertThat(full.offer(new Message("", "full", MessageProperties.EMPTY, new byte[]{0}))).isCompleted();
        CompletableFuture<PublishOutcome> first = new CompletableFuture<>();
        CompletableFuture<PublishOutcome> second = new CompletableFuture<>();
        List<Transaction.Op> ops = List.of(
                new Transaction.Publish(vhost.exchange(""), new Message("", "ok", WITH_ID, new byte[]{1}), first),
                new Transaction.Settle(List.of(), SettleOp.ACK),
                new Transaction.Publish(vhost.exchange(""), new Message("", "full", WITH_ID, new byte[]{2}),
                        second));

        TransactionCommit commit = new TransactionCommit(vhost, Persistence.NONE, stats, (deliveries, op) -> {
            throw new AssertionError("nothing may be settled");
        }, givenBack::add);
        assertThatThrownBy(() -> commit.commit(ops)).isInstanceOf(BrokerException.class)
                .hasMessageContaining("is full");

        assertThat(first).isCompletedWithValue(PublishOutcome.REJECTED);
        assertThat(second).isCompletedWithValue(PublishOutcome.REJECTED);
        assertThat(givenBack).hasSize(1);
        assertThat(ok.readyCount()).isZero();
        // the key "ok" admitted for the refused transaction left its window again
        assertThat(ok.offer(new Message("", "ok", WITH_ID, new byte[]{3}))).isNotNull();
        assertThat(ok.readyCount()).isEqualTo(1);
    }
}
