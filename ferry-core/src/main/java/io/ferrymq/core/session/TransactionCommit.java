package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.StoredChange;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueReservation;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.vhost.VirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Commits one transaction atomically (G5), in two phases.
 *
 * <ol>
 *   <li><b>Prepare</b> (the session's thread): route each publish and reserve its place in every target queue
 *       (nothing visible yet; a queue that refuses the message fails the commit before anything happened), and
 *       take the stored copies of the messages the transaction acknowledges or rejects away from their entries.
 *       </li>
 *   <li><b>Write</b>: the stored adds and deletes go to the store as one atomic unit
 *       ({@link Persistence#writeAtomically}); a crash before it is durable leaves no trace of the transaction.</li>
 *   <li><b>Apply</b>, once durable (on the thread that completed the write, the store's writer thread, while the
 *       channel waits for the commit and sends nothing else on this session): insert the messages at their
 *       places, settle the deliveries, complete the publish outcomes, in the client's order.</li>
 * </ol>
 * So consumers never see a message of a transaction that could still vanish, and after {@code commit-ok} every
 * effect is durable. Visibility across queues is not simultaneous: a consumer of one queue may see its message a
 * moment before a consumer of another queue sees its own.
 */
final class TransactionCommit {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCommit.class);

    /** A publish with the places held for it. */
    private record Routed(Transaction.Publish publish, List<QueueReservation> places) {
    }

    private final VirtualHost vhost;
    private final Persistence persistence;
    private final BrokerStats stats;
    /** Applies a settlement as the session does outside a transaction. */
    private final BiConsumer<List<UnackedDelivery>, SettleOp> settler;
    /** Hands deliveries of a failed commit back to the session (unacked again). */
    private final Consumer<List<UnackedDelivery>> giveBack;

    TransactionCommit(VirtualHost vhost, Persistence persistence, BrokerStats stats,
                      BiConsumer<List<UnackedDelivery>, SettleOp> settler,
                      Consumer<List<UnackedDelivery>> giveBack) {
        this.vhost = vhost;
        this.persistence = persistence;
        this.stats = stats;
        this.settler = settler;
        this.giveBack = giveBack;
    }

    /**
     * Commits {@code ops}; completes once every effect is durable and applied.
     *
     * @throws BrokerException when a queue refuses a publish: nothing of the transaction took effect
     */
    CompletableFuture<Void> commit(List<Transaction.Op> ops) {
        List<Object> prepared = new ArrayList<>(ops.size());
        try {
            for (Transaction.Op op : ops) {
                prepared.add(op instanceof Transaction.Publish publish ? route(publish) : op);
            }
        } catch (BrokerException refused) {
            abandon(ops);
            throw refused;
        }
        List<StoredChange> changes = new ArrayList<>();
        // where each stored add is among the changes, in the order apply() meets them
        List<Integer> addSlots = new ArrayList<>();
        for (Object op : prepared) {
            if (op instanceof Routed routed) {
                for (QueueReservation place : routed.places()) {
                    if (place.stored()) {
                        addSlots.add(changes.size());
                        changes.add(new StoredChange.Add(place.queue().storeKey(), place.sequence(), place.payload()));
                    }
                }
            } else if (op instanceof Transaction.Settle settle && settle.op() != SettleOp.REQUEUE) {
                for (UnackedDelivery delivery : settle.deliveries()) {
                    StoredChange.Delete delete = delivery.queue().detachStored(delivery.deliveryId());
                    if (delete != null) {
                        changes.add(delete);
                    }
                }
            }
        }
        if (changes.isEmpty()) {
            apply(prepared, new long[0], addSlots);
            return CompletableFuture.completedFuture(null);
        }
        return persistence.writeAtomically(changes).handle((addresses, error) -> {
            if (error != null) {
                LOG.error("a transaction could not be written to the store; its commit fails", error);
                abandon(ops);
                throw new BrokerException(Condition.INTERNAL_ERROR,
                        "the broker could not write the transaction to its store: see the broker log");
            }
            apply(prepared, addresses, addSlots);
            return null;
        });
    }

    private Routed route(Transaction.Publish publish) {
        List<QueueReservation> places = new ArrayList<>(2);
        for (Queue queue : vhost.route(publish.exchange(), publish.message())) {
            QueueReservation place = queue.reserve(publish.message());
            if (place != null) {
                places.add(place);
            }
        }
        return new Routed(publish, places);
    }

    /** Makes the durable transaction visible; the stored adds' addresses are at {@code addSlots}, in order. */
    private void apply(List<Object> prepared, long[] addresses, List<Integer> addSlots) {
        int next = 0;
        for (Object op : prepared) {
            if (op instanceof Routed routed) {
                stats.published();
                for (QueueReservation place : routed.places()) {
                    place.queue().insert(place, place.stored() ? addresses[addSlots.get(next++)] : -1);
                }
                routed.publish().outcome().complete(routed.places().isEmpty() ? PublishOutcome.UNROUTED
                        : PublishOutcome.ROUTED);
            } else if (op instanceof Transaction.Settle settle) {
                settler.accept(settle.deliveries(), settle.op());
            }
        }
    }

    /** Nothing of the transaction takes effect: publishes are rejected, settled deliveries are unacked again. */
    private void abandon(List<Transaction.Op> ops) {
        for (Transaction.Op op : ops) {
            if (op instanceof Transaction.Publish publish) {
                publish.outcome().complete(PublishOutcome.REJECTED);
            } else if (op instanceof Transaction.Settle settle) {
                giveBack.accept(settle.deliveries());
            }
        }
    }
}
