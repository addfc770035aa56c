package io.ferrymq.core.session;

import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.Queue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles deliveries taken out of a session's {@link SessionLedger}: acks, rejects and requeues, applied queue by
 * queue. Runs on the session's thread, on a committing transaction's store thread (see {@link SessionReplies}),
 * and on a closing session's.
 */
final class Settlement {
    private static final long[] NO_IDS = new long[0];

    private final SessionLedger ledger;
    private final SessionReplies replies;

    Settlement(SessionLedger ledger, SessionReplies replies) {
        this.ledger = ledger;
        this.replies = replies;
    }

    /** Releases the credit the deliveries held, settles them queue by queue, then lets queues dispatch. */
    void apply(List<UnackedDelivery> deliveries, SettleOp op) {
        if (deliveries.isEmpty()) {
            return;
        }
        ledger.release(deliveries);
        long before = replies.deletesRequested();
        Map<Queue, long[]> byQueue = groupByQueue(deliveries);
        byQueue.forEach((queue, ids) -> queue.settle(ids, op));
        replies.noteDeletes(before);
        if (ledger.hasGlobalPrefetch()) {
            for (Queue queue : ledger.consumedQueues()) {
                if (!byQueue.containsKey(queue)) {
                    queue.dispatch();
                }
            }
        }
    }

    /** Deliveries whose settlement did not happen are unacked again (requeued if the session closed meanwhile). */
    void giveBack(List<UnackedDelivery> deliveries) {
        if (ledger.isClosed()) {
            requeue(deliveries);
        } else {
            ledger.restore(deliveries);
        }
    }

    /** Puts deliveries back at their places in their queues, leaving the ledger alone (a closing session's). */
    static void requeue(List<UnackedDelivery> deliveries) {
        groupByQueue(deliveries).forEach((queue, ids) -> queue.settle(ids, SettleOp.REQUEUE));
    }

    private static Map<Queue, long[]> groupByQueue(List<UnackedDelivery> deliveries) {
        Map<Queue, long[]> byQueue = new LinkedHashMap<>();
        for (UnackedDelivery delivery : deliveries) {
            long[] ids = byQueue.getOrDefault(delivery.queue(), NO_IDS);
            long[] grown = Arrays.copyOf(ids, ids.length + 1);
            grown[ids.length] = delivery.deliveryId();
            byQueue.put(delivery.queue(), grown);
        }
        return byQueue;
    }
}
