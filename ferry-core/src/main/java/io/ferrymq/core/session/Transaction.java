package io.ferrymq.core.session;

import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The publishes and settlements of an open transaction, in the order the client made them.
 * Session thread only.
 */
final class Transaction {

    /** One buffered operation. */
    sealed interface Op {
    }

    /** A publish, routed at commit; {@code outcome} completes then. */
    record Publish(Exchange exchange, Message message, CompletableFuture<PublishOutcome> outcome) implements Op {
    }

    /** A settlement whose deliveries already left the unacked table (so they cannot be settled twice). */
    record Settle(List<UnackedDelivery> deliveries, SettleOp op) implements Op {
    }

    private List<Op> ops = new ArrayList<>();

    void add(Op op) {
        ops.add(op);
    }

    /** Hands over the buffered operations and starts an empty transaction. */
    List<Op> drain() {
        List<Op> drained = ops;
        ops = new ArrayList<>();
        return drained;
    }
}
