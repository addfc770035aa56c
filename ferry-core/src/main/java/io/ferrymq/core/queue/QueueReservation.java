package io.ferrymq.core.queue;

import io.ferrymq.core.Message;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.persist.StoredChange;

/**
 * A place a queue holds for a message of a committing transaction (G5): the message is not visible until
 * {@link Queue#insert} after the transaction is durable. A reservation that is never inserted (the commit failed)
 * is {@link Queue#cancel}led and leaves only a gap in the queue's sequences.
 *
 * @param sequence  the message's place in the queue's FIFO order, and its entry id in the store; -1 for a duplicate
 * @param payload   the message as stored when the queue stores it (persistent message, stored queue), else null
 * @param admission what the queue's deduplication window decided, or null when it has none or the message no key
 */
public record QueueReservation(Queue queue, long sequence, Message message, byte[] payload,
                               Deduplicator.Admission admission) {

    /** The message is a duplicate (G4): nothing to insert, and the transaction confirms it all the same. */
    static QueueReservation duplicate(Queue queue, Message message) {
        return new QueueReservation(queue, -1, message, null, Deduplicator.Admission.DUPLICATE);
    }

    public boolean deduplicated() {
        return admission != null && admission.duplicate();
    }

    public boolean stored() {
        return payload != null;
    }

    /** The deduplication key's record to write with the transaction, or null. */
    public StoredChange.Add keyRecord() {
        return admission == null ? null : admission.record();
    }
}
