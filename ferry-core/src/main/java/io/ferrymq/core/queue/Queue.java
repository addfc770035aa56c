package io.ferrymq.core.queue;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.persist.StoredChange;

/**
 * A queue of some type, as the rest of the broker uses it (the queue-type SPI, with
 * {@link QueueType}). Thread-safe: each implementation guards its own state. Methods that take
 * consumers or receivers call them back while holding the queue's lock, so callers must not hold
 * a session lock when calling in.
 */
public interface Queue {

    QueueSettings settings();

    default String name() {
        return settings().name();
    }

    /** The failure-handling arguments it was declared with. */
    default QueueArguments arguments() {
        return QueueArguments.DEFAULTS;
    }

    /**
     * Configures the queue by {@code policy} (null: none applies any more): its definition's settings apply where
     * the queue's own arguments do not set them. Existing messages keep their TTL; a lower length limit applies at
     * once.
     */
    default void applyPolicy(io.ferrymq.core.policy.Policy policy) {
    }

    /** The policy applied, or null. */
    default io.ferrymq.core.policy.Policy policy() {
        return null;
    }

    /** A redeclare used the queue: its {@code x-expires} countdown starts again. */
    default void touch() {
    }

    /**
     * Takes a routed message and hands it to consumers with credit. Returns false when the queue
     * no longer takes messages (it was deleted while the message was routed).
     */
    default boolean enqueue(Message message) {
        return offer(message) != null;
    }

    /**
     * Takes a routed message as {@link #enqueue} does. Returns null when the queue no longer takes messages, else
     * a future that completes once the message is as safe as it must be: at once for a transient message or a
     * queue that is not stored, once written to disk for a persistent message on a stored durable queue. It fails
     * with {@link QueueFullException} when a length limit refused the message.
     */
    java.util.concurrent.CompletableFuture<Void> offer(Message message);

    /**
     * Queue flow control ({@code QueueFlow}): whether the queue asks its publishers to pause now because its
     * consumers fell behind. Any thread; cheap enough to ask after every publish.
     */
    default boolean congested() {
        return false;
    }

    /**
     * Runs {@code resume} once the queue no longer asks its publishers to pause (from whichever thread changed
     * that); returns false, and never runs it, when the queue does not ask now.
     */
    default boolean whenUncongested(Runnable resume) {
        return false;
    }

    /**
     * Phase one of a transaction's publish (G5): holds a place for {@code message} without making it visible.
     * Returns null when the queue no longer takes messages (it was deleted while the message was routed).
     *
     * @throws BrokerException when the queue would refuse the message now (a length limit with
     *                         {@code x-overflow: reject-publish}): the commit then fails as a whole and nothing of
     *                         the transaction takes effect
     */
    QueueReservation reserve(Message message);

    /**
     * Phase two: the transaction is durable, so the reserved message becomes ready at its place, stored at
     * {@code address} (-1 when it is not stored), its deduplication key's record at {@code keyAddress} (-1 when
     * none). A queue deleted in between drops it (and its stored copy). Never called for a duplicate.
     */
    void insert(QueueReservation reserved, long address, long keyAddress);

    /** The transaction failed before phase two: the reservation is dropped (its deduplication key leaves). */
    void cancel(QueueReservation reserved);

    /** The queue's deduplication window ({@code x-message-deduplication}), or null. */
    default Deduplicator deduplicator() {
        return null;
    }

    /**
     * Takes the stored copy of an unacknowledged delivery away from it, so that settling it later deletes
     * nothing: a committing transaction deletes it in its own atomic write. Returns that delete, or null when
     * the delivery is unknown or its message is not stored.
     */
    StoredChange.Delete detachStored(long deliveryId);

    /**
     * The key under which this queue is stored (its record, and the stream of its messages), or 0 when it is not
     * stored. Set once, before the queue is visible to others.
     */
    default long storeKey() {
        return 0;
    }

    default void storeAs(long key) {
        throw new UnsupportedOperationException("queue type of " + settings().describe() + " cannot be stored");
    }

    /**
     * Puts back a message recovered from the store at its old sequence, paged (its body stays in the store at
     * {@code address} until delivered), as delivered once already (redelivered=true: it may have been delivered
     * before the restart). Sequences mostly increase from call to call; a lower one goes to its place.
     *
     * @param stored what the queue needs of the message: its TTL counts again from the restart
     */
    default void restore(long sequence, long address, StoredMessage stored) {
        throw new UnsupportedOperationException("queue type of " + settings().describe() + " cannot be restored");
    }

    /**
     * At start: the stored delivery state ({@link DeliveryState}) of one of its messages, found while the store
     * replays (before or after the message itself).
     */
    default void restoreDeliveryState(long entry, long address, java.nio.ByteBuffer record) {
        throw new UnsupportedOperationException("queue type of " + settings().describe() + " stores no delivery state");
    }

    /** At start, once the store is open and every message is back: restored delivery states take effect. */
    default void restored() {
    }

    /**
     * Adds a consumer and starts delivering to it.
     *
     * @throws BrokerException ACCESS_REFUSED when an exclusive consumer is in the way, NOT_FOUND
     *                         when the queue was deleted
     */
    void addConsumer(QueueConsumer consumer);

    /**
     * Removes a consumer; its unacknowledged deliveries stay so. Returns true when the queue is
     * auto-delete and this was its last consumer: the caller should then delete it.
     */
    boolean removeConsumer(QueueConsumer consumer);

    /** basic.get: the head message for {@code receiver}, or {@link GetResult#EMPTY}. */
    GetResult get(boolean noAck, GetReceiver receiver);

    /** Settles deliveries by the ids given to {@link QueueConsumer#deliver}; unknown ids are ignored. */
    void settle(long[] deliveryIds, SettleOp op);

    /**
     * Puts unacknowledged deliveries back at their places as if they had never been delivered (their delivery
     * count is not raised, no retry delay or delivery limit applies): a redrive that did not move them.
     */
    default void giveBack(long[] deliveryIds) {
        settle(deliveryIds, SettleOp.REQUEUE);
    }

    /** Offers ready messages to consumers again, because some consumer may have credit now. */
    void dispatch();

    /** Drops the ready messages; returns how many. */
    int purge();

    /**
     * Deletes the queue: its messages are dropped and its consumers told. Returns the number of
     * ready messages it held, or -1 when it was already deleted.
     *
     * @throws BrokerException PRECONDITION_FAILED when {@code ifUnused} and it has consumers, or
     *                         {@code ifEmpty} and it has ready messages
     */
    int delete(boolean ifUnused, boolean ifEmpty);

    boolean isDeleted();

    /** Cheap to read from any thread; may lag an operation in progress. */
    int readyCount();

    int unackedCount();

    int consumerCount();

    /** Messages the queue took, deliveries it made (consumers and basic.get), deliveries acked; since declared. */
    default long publishedTotal() {
        return 0;
    }

    default long deliveredTotal() {
        return 0;
    }

    default long ackedTotal() {
        return 0;
    }
}
