package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.vhost.VirtualHost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A session's transactional mode (tx.select, tx.commit, tx.rollback) and its open {@link Transaction}. Session
 * thread only; listings read {@link #active()} from other threads and may see it lag.
 */
final class TransactionControl {
    private final VirtualHost vhost;
    private final Persistence persistence;
    private final BrokerStats stats;
    private final SessionLedger ledger;
    private final Settlement settlement;
    private final SessionReplies replies;
    private Transaction transaction;

    TransactionControl(VirtualHost vhost, BrokerStats stats, SessionLedger ledger, Settlement settlement,
                       SessionReplies replies) {
        this.vhost = vhost;
        this.persistence = vhost.persistence();
        this.stats = stats;
        this.ledger = ledger;
        this.settlement = settlement;
        this.replies = replies;
    }

    /** The open transaction, which buffers publishes and settlements; null unless tx.select was sent. */
    Transaction current() {
        return transaction;
    }

    boolean active() {
        return transaction != null;
    }

    void select() {
        if (transaction == null) {
            transaction = new Transaction();
        }
    }

    /**
     * Commits the transaction atomically ({@link TransactionCommit}): completes once every publish and settlement
     * is durable and applied, and what this session dropped before is durable too (G1b).
     */
    CompletionStage<Void> commit() {
        CompletableFuture<Void> committed;
        try {
            replies.checkOpen();
            List<Transaction.Op> ops = requireTransaction().drain();
            committed = new TransactionCommit(vhost, persistence, stats, settlement::apply,
                    settlement::giveBack).commit(ops);
        } catch (BrokerException e) {
            return replies.durable(CompletableFuture.failedFuture(e));
        }
        // The channel sends nothing else on this session until the commit completes, so the session's state may
        // be touched where the store write completed.
        return committed.thenCompose(done -> replies.durable(CompletableFuture.completedFuture(null)));
    }

    /** Discards buffered publishes (their stages complete with REJECTED); settled deliveries become unacked again. */
    void rollback() {
        for (Transaction.Op op : requireTransaction().drain()) {
            if (op instanceof Transaction.Publish publish) {
                publish.outcome().complete(PublishOutcome.REJECTED);
            } else if (op instanceof Transaction.Settle settle) {
                ledger.restore(settle.deliveries());
            }
        }
    }

    /**
     * The session closes: buffered publishes complete with REJECTED; returns the deliveries whose settlement was
     * buffered, for the caller to requeue.
     */
    List<UnackedDelivery> abandon() {
        List<UnackedDelivery> unsettled = new ArrayList<>();
        if (transaction != null) {
            for (Transaction.Op op : transaction.drain()) {
                if (op instanceof Transaction.Publish publish) {
                    publish.outcome().complete(PublishOutcome.REJECTED);
                } else if (op instanceof Transaction.Settle settle) {
                    unsettled.addAll(settle.deliveries());
                }
            }
        }
        return unsettled;
    }

    private Transaction requireTransaction() {
        if (transaction == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED,
                    "channel is not transactional: send tx.select first");
        }
        return transaction;
    }
}
