package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.dedup.Deduplicator;
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
 * Commits one transaction atomically (G5), in three steps.
 *
 * <ol>
 *   <li><b>Prepare</b> (the session's thread): route each publish and reserve its place in every target queue
 *       (nothing visible yet; a queue that refuses the message fails the commit before anything happened), check
 *       deduplication windows (G4: a duplicate is confirmed and not taken; a new key enters the window), and take
 *       the stored copies of the messages the transaction acknowledges or rejects away from their entries.</li>
 *   <li><b>Write</b>: the stored adds (messages and deduplication keys) and deletes go to the store as one atomic
 *       unit ({@link Persistence#writeAtomically}); a crash before it is durable leaves no trace.</li>
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

    /**
     * A publish with what routing decided: the exchange's deduplication admission (or null) and the places held
     * for it (none for a duplicate at the exchange).
     */
    private record Routed(Transaction.Publish publish, Deduplicator.Admission exchangeKey,
                          List<QueueReservation> places) {

        boolean deduplicated() {
            return (exchangeKey != null && exchangeKey.duplicate())
                    || (!places.isEmpty() && places.stream().allMatch(QueueReservation::deduplicated));
        }
    }

    /** A settlement with the number of deletes it added to the atomic write. */
    private record Settling(Transaction.Settle settle, int deletes) {
    }

    private final VirtualHost vhost;
    private final Persistence persistence;
    private final BrokerStats stats;
    /** Applies a settlement as the session does outside a transaction. */
    private final BiConsumer<List<UnackedDelivery>, SettleOp> settler;
    /** Hands deliveries of a failed commit back to the session (unacked again). */
    private final Consumer<List<UnackedDelivery>> giveBack;
    private final List<Object> prepared = new ArrayList<>();
    private final List<StoredChange> changes = new ArrayList<>();

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
     * Commits {@code ops} (once per instance); completes once every effect is durable and applied.
     *
     * @throws BrokerException when a queue refuses a publish: nothing of the transaction took effect
     */
    CompletableFuture<Void> commit(List<Transaction.Op> ops) {
        try {
            for (Transaction.Op op : ops) {
                prepared.add(op instanceof Transaction.Publish publish ? route(publish) : op);
            }
        } catch (BrokerException refused) {
            abandon(ops);
            throw refused;
        }
        for (int i = 0; i < prepared.size(); i++) {
            if (prepared.get(i) instanceof Routed routed) {
                addChange(routed.exchangeKey() == null ? null : routed.exchangeKey().record());
                for (QueueReservation place : routed.places()) {
                    if (place.stored()) {
                        changes.add(new StoredChange.Add(place.queue().storeKey(), place.sequence(),
                                place.payload()));
                    }
                    addChange(place.keyRecord());
                }
            } else if (prepared.get(i) instanceof Transaction.Settle settle) {
                int before = changes.size();
                if (settle.op() != SettleOp.REQUEUE) {
                    for (UnackedDelivery delivery : settle.deliveries()) {
                        addChange(delivery.queue().detachStored(delivery.deliveryId()));
                    }
                }
                prepared.set(i, new Settling(settle, changes.size() - before));
            }
        }
        if (changes.isEmpty()) {
            apply(new long[0]);
            return CompletableFuture.completedFuture(null);
        }
        return persistence.writeAtomically(changes).handle((addresses, error) -> {
            if (error != null) {
                LOG.error("a transaction could not be written to the store; its commit fails", error);
                abandon(ops);
                throw new BrokerException(Condition.INTERNAL_ERROR,
                        "the broker could not write the transaction to its store: see the broker log");
            }
            apply(addresses);
            return null;
        });
    }

    private void addChange(StoredChange change) {
        if (change != null) {
            changes.add(change);
        }
    }

    /** Routes a publish and holds its places; if a queue refuses, the places held so far are given up. */
    private Routed route(Transaction.Publish publish) {
        Deduplicator.Admission exchangeKey = vhost.deduplicate(publish.exchange(), publish.message());
        List<QueueReservation> places = new ArrayList<>(2);
        Routed routed = new Routed(publish, exchangeKey, places);
        if (exchangeKey != null && exchangeKey.duplicate()) {
            return routed;
        }
        try {
            for (Queue queue : vhost.route(publish.exchange(), publish.message())) {
                QueueReservation place = queue.reserve(publish.message());
                if (place != null) {
                    places.add(place);
                }
            }
        } catch (BrokerException refused) {
            cancel(routed);
            throw refused;
        }
        return routed;
    }

    /**
     * Makes the durable transaction visible. {@code addresses} follow {@link #changes}, which were built in the
     * order this walks.
     */
    private void apply(long[] addresses) {
        int next = 0;
        for (Object op : prepared) {
            if (op instanceof Routed routed) {
                stats.published();
                if (routed.exchangeKey() != null && routed.exchangeKey().record() != null) {
                    routed.publish().exchange().deduplicator().stored(routed.exchangeKey(),
                            CompletableFuture.completedFuture(addresses[next++]));
                }
                for (QueueReservation place : routed.places()) {
                    long address = place.stored() ? addresses[next++] : -1;
                    long keyAddress = place.keyRecord() != null ? addresses[next++] : -1;
                    if (!place.deduplicated()) {
                        place.queue().insert(place, address, keyAddress);
                    }
                }
                if (routed.exchangeKey() != null && routed.exchangeKey().duplicate()) {
                    stats.deduplicated();
                }
                routed.publish().outcome().complete(routed.places().isEmpty() && !routed.deduplicated()
                        ? PublishOutcome.UNROUTED : PublishOutcome.ROUTED);
            } else if (op instanceof Settling settling) {
                next += settling.deletes();
                settler.accept(settling.settle().deliveries(), settling.settle().op());
            }
        }
    }

    /** Nothing of the transaction takes effect: publishes are rejected, settled deliveries are unacked again. */
    private void abandon(List<Transaction.Op> ops) {
        for (Object op : prepared) {
            if (op instanceof Routed routed) {
                cancel(routed);
            }
        }
        for (Transaction.Op op : ops) {
            if (op instanceof Transaction.Publish publish) {
                publish.outcome().complete(PublishOutcome.REJECTED);
            } else if (op instanceof Transaction.Settle settle) {
                giveBack.accept(settle.deliveries());
            }
        }
    }

    private static void cancel(Routed routed) {
        if (routed.exchangeKey() != null && !routed.exchangeKey().duplicate()) {
            routed.publish().exchange().deduplicator().forget(routed.exchangeKey());
        }
        routed.places().forEach(place -> place.queue().cancel(place));
    }
}
