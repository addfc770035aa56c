package io.ferrymq.core;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.StoredChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** When stages complete with a store whose writes the test completes by hand (G1, G1b). */
class DurableRepliesTest {
    private static final MessageProperties TRANSIENT = MessageProperties.EMPTY;
    private final HandStore store = new HandStore();
    private final LocalBroker broker = new LocalBroker(new BrokerConfig("guest", "guest", 1L << 40, 1 << 20),
            new ManualClock(), store);
    private final Session session = connect(broker, "c").openSession();

    private static Message message(String queue, boolean persistent) {
        MessageProperties props = persistent ? new MessageProperties(null, null, null, 2, null, null, null, null,
                null, null, null, null, null, null) : TRANSIENT;
        return new Message("", queue, props, new byte[]{1});
    }

    @Test
    void aPersistentPublishCompletesOnlyOnceStoredAndAFailedWriteIsANack() {
        join(session.declareQueue(new QueueDeclaration("d", false, true, false, false, Map.of())));
        join(session.declareQueue(new QueueDeclaration("t", false, false, false, false, Map.of())));

        assertThat(session.publish(new PublishRequest(message("t", true), false)).toCompletableFuture()).isDone();
        assertThat(session.publish(new PublishRequest(message("d", false), false)).toCompletableFuture()).isDone();
        assertThat(store.adds).isEmpty();

        CompletableFuture<PublishOutcome> stored = session.publish(new PublishRequest(message("d", true), false))
                .toCompletableFuture();
        assertThat(stored).isNotDone();
        store.adds.get(0).complete(100L);
        assertThat(stored.join()).isEqualTo(PublishOutcome.ROUTED);

        CompletableFuture<PublishOutcome> failed = session.publish(new PublishRequest(message("d", true), false))
                .toCompletableFuture();
        store.adds.get(1).completeExceptionally(new IllegalStateException("disk on fire"));
        assertThat(failed.join()).isEqualTo(PublishOutcome.REJECTED);
    }

    @Test
    void anAckIsDurableBeforeTheNextReplyAndARequeueDeletesNothing() {
        join(session.declareQueue(new QueueDeclaration("d", false, true, false, false, Map.of())));
        session.publish(new PublishRequest(message("d", true), false));
        session.publish(new PublishRequest(message("d", true), false));
        store.adds.forEach(add -> add.complete(7L));
        GetResult first = join(session.get("d", false));
        GetResult second = join(session.get("d", false));

        session.settle(second.delivery().deliveryTag(), false, SettleOp.REQUEUE);
        assertThat(store.deletes).hasValue(0);
        assertThat(session.qos(1, false).toCompletableFuture()).isDone();

        session.settle(first.delivery().deliveryTag(), false, SettleOp.ACK);
        assertThat(store.deletes).hasValue(1);
        CompletableFuture<Void> qosOk = session.qos(1, false).toCompletableFuture();
        assertThat(qosOk).isNotDone();
        store.barrier.complete(null);
        assertThat(qosOk).isDone();
        // nothing dropped since: the next reply does not wait
        store.barrier = new CompletableFuture<>();
        assertThat(session.qos(2, false).toCompletableFuture()).isDone();
    }

    @Test
    void aDurableDeclarationCompletesOnceItsRecordIsDurable() {
        store.puts = new CompletableFuture<>();
        CompletableFuture<QueueDeclareResult> declared = session.declareQueue(new QueueDeclaration("d", false,
                true, false, false, Map.of())).toCompletableFuture();
        assertThat(declared).isNotDone();
        store.puts.complete(null);
        assertThat(declared).isDone();
        // a transient one waits for nothing
        store.puts = new CompletableFuture<>();
        assertThat(session.declareQueue(new QueueDeclaration("t", false, false, false, false, Map.of()))
                .toCompletableFuture()).isDone();
    }

    @Test
    void aCommitIsInvisibleUntilItsAtomicWriteIsDurable() {
        join(session.declareQueue(new QueueDeclaration("in", false, true, false, false, Map.of())));
        join(session.declareQueue(new QueueDeclaration("out", false, true, false, false, Map.of())));
        join(session.declareQueue(new QueueDeclaration("out2", false, true, false, false, Map.of())));
        session.publish(new PublishRequest(message("in", true), false));
        store.adds.forEach(add -> add.complete(7L));
        GetResult input = join(session.get("in", false));
        join(session.txSelect());
        CompletableFuture<PublishOutcome> published = session.publish(new PublishRequest(message("out", true),
                false)).toCompletableFuture();
        session.publish(new PublishRequest(message("out2", true), false));
        session.settle(input.delivery().deliveryTag(), false, SettleOp.ACK);

        CompletableFuture<Void> commit = session.txCommit().toCompletableFuture();
        assertThat(commit).isNotDone();
        assertThat(store.commits).singleElement().satisfies(changes -> assertThat(changes)
                .extracting(change -> change.getClass().getSimpleName()).containsExactly("Add", "Add", "Delete"));
        assertThat(broker.virtualHost("/").queue("out").readyCount()).isZero();
        assertThat(store.deletes).hasValue(0);

        store.commitResults.get(0).complete(new long[]{11, 12, -1});
        assertThat(commit).isCompleted();
        assertThat(published).isCompletedWithValue(PublishOutcome.ROUTED);
        assertThat(broker.virtualHost("/").queue("out").readyCount()).isEqualTo(1);
        assertThat(broker.virtualHost("/").queue("out2").readyCount()).isEqualTo(1);
        assertThat(broker.virtualHost("/").queue("in").unackedCount()).isZero();
        // the ack's delete was part of the atomic write: settling deleted nothing more
        assertThat(store.deletes).hasValue(0);
    }

    @Test
    void aCommitWhoseWriteFailsLeavesNoTraceAndItsAcksAreUnackedAgain() {
        join(session.declareQueue(new QueueDeclaration("in", false, true, false, false, Map.of())));
        join(session.declareQueue(new QueueDeclaration("out", false, true, false, false, Map.of())));
        session.publish(new PublishRequest(message("in", true), false));
        store.adds.forEach(add -> add.complete(7L));
        GetResult input = join(session.get("in", false));
        join(session.txSelect());
        CompletableFuture<PublishOutcome> published = session.publish(new PublishRequest(message("out", true),
                false)).toCompletableFuture();
        session.settle(input.delivery().deliveryTag(), false, SettleOp.ACK);
        CompletableFuture<Void> commit = session.txCommit().toCompletableFuture();

        store.commitResults.get(0).completeExceptionally(new IllegalStateException("disk on fire"));
        assertThat(commit).isCompletedExceptionally();
        assertThat(commit.handle((done, error) -> ((BrokerException) error.getCause()).condition()).join())
                .isEqualTo(Condition.INTERNAL_ERROR);
        assertThat(published).isCompletedWithValue(PublishOutcome.REJECTED);
        assertThat(broker.virtualHost("/").queue("out").readyCount()).isZero();
        assertThat(broker.virtualHost("/").queue("in").unackedCount()).isEqualTo(1);
        // the delivery is the session's again: closing the session requeues it
        session.close();
        assertThat(broker.virtualHost("/").queue("in").readyCount()).isEqualTo(1);
    }

    /** Records writes; completes them when the test says so. */
    private static final class HandStore implements Persistence {
        final List<CompletableFuture<Long>> adds = new ArrayList<>();
        final List<List<StoredChange>> commits = new ArrayList<>();
        final List<CompletableFuture<long[]>> commitResults = new ArrayList<>();
        final AtomicLong deletes = new AtomicLong();
        final AtomicLong keys = new AtomicLong();
        volatile CompletableFuture<Void> puts = CompletableFuture.completedFuture(null);
        volatile CompletableFuture<Void> barrier = new CompletableFuture<>();

        @Override
        public boolean durable() {
            return true;
        }

        @Override
        public long newKey() {
            return keys.incrementAndGet();
        }

        @Override
        public CompletableFuture<Void> put(long key, byte[] record) {
            return puts;
        }

        @Override
        public CompletableFuture<Void> remove(long key) {
            return puts;
        }

        @Override
        public synchronized CompletableFuture<Long> add(long stream, long entry, byte[] payload) {
            CompletableFuture<Long> add = new CompletableFuture<>();
            adds.add(add);
            return add;
        }

        @Override
        public void delete(long stream, long entry, CompletableFuture<Long> address) {
            deletes.incrementAndGet();
        }

        @Override
        public synchronized CompletableFuture<long[]> writeAtomically(List<StoredChange> changes) {
            CompletableFuture<long[]> result = new CompletableFuture<>();
            commits.add(changes);
            commitResults.add(result);
            return result;
        }

        @Override
        public long deletesRequested() {
            return deletes.get();
        }

        @Override
        public CompletableFuture<Void> barrier() {
            return barrier;
        }

        @Override
        public java.nio.ByteBuffer read(long address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void recover(io.ferrymq.core.persist.RecoveryHandler handler) {
            handler.end();
        }

        @Override
        public void close() {
        }
    }
}
