package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.vhost.VirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * When a session's replies may go out (G1, G1b): operations are refused once the session is closed, and with a
 * store a reply completes once the topology writes made so far are durable and, when this session dropped stored
 * messages since its last reply (ack, reject, purge...), once those deletes are durable too.
 *
 * <p>Session thread only, with one exception: a transaction's commit applies its settlements and asks for its
 * reply on the thread that completed the store write, while the channel waits for that reply and sends nothing
 * else on the session.
 */
final class SessionReplies {
    private static final Logger LOG = LoggerFactory.getLogger(SessionReplies.class);

    private final VirtualHost vhost;
    private final Persistence persistence;
    private final SessionLedger ledger;
    /** Stored messages were dropped since the last reply: the next reply waits until that is durable. */
    private boolean deletesOutstanding;

    SessionReplies(VirtualHost vhost, SessionLedger ledger) {
        this.vhost = vhost;
        this.persistence = vhost.persistence();
        this.ledger = ledger;
    }

    void checkOpen() {
        if (ledger.isClosed()) {
            throw new BrokerException(Condition.COMMAND_INVALID, "the session is closed");
        }
    }

    /** Runs an operation that answers the client; refused once the session is closed. */
    CompletionStage<Void> run(Runnable action) {
        return call(() -> {
            action.run();
            return null;
        });
    }

    <T> CompletionStage<T> call(Supplier<T> action) {
        T value;
        try {
            checkOpen();
            value = action.get();
        } catch (BrokerException e) {
            // what the failed operation may have changed before it failed must be durable before its error too
            return durable(CompletableFuture.failedFuture(e));
        }
        return durable(CompletableFuture.completedFuture(value));
    }

    /** A count to give {@link #noteDeletes} after an operation that may drop stored messages. */
    long deletesRequested() {
        return persistence.deletesRequested();
    }

    /** Stored messages were dropped since {@code before} (by this session, or by chance another one). */
    void noteDeletes(long before) {
        if (persistence.deletesRequested() != before) {
            deletesOutstanding = true;
        }
    }

    /**
     * The reply, once it may be sent (G1b): after the topology writes so far and, when this session dropped
     * stored messages since its last reply, after those deletes are durable.
     */
    <T> CompletableFuture<T> durable(CompletableFuture<T> reply) {
        if (!persistence.durable()) {
            return reply;
        }
        CompletableFuture<Void> wait = vhost.topologyBarrier();
        if (wait.isDone() && !wait.isCompletedExceptionally()) {
            wait = null;
        }
        if (deletesOutstanding) {
            deletesOutstanding = false;
            CompletableFuture<Void> deletes = persistence.barrier();
            wait = wait == null ? deletes : CompletableFuture.allOf(wait, deletes);
        }
        if (wait == null) {
            return reply;
        }
        return wait.handle((done, error) -> error).thenCompose(error -> {
            if (error != null) {
                LOG.error("a store write failed; the reply is an error", error);
                return CompletableFuture.failedFuture(new BrokerException(Condition.INTERNAL_ERROR,
                        "the broker could not write to its store: see the broker log"));
            }
            return reply;
        });
    }
}
