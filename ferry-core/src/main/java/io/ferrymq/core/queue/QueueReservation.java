package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

/**
 * A place a queue holds for a message of a committing transaction (G5): the message is not visible until
 * {@link Queue#insert} after the transaction is durable. A reservation that is never inserted (the commit failed)
 * leaves only a gap in the queue's sequences.
 *
 * @param sequence the message's place in the queue's FIFO order, and its entry id in the store
 * @param payload  the message as stored when the queue stores it (persistent message, stored queue), else null
 */
public record QueueReservation(Queue queue, long sequence, Message message, byte[] payload) {

    public boolean stored() {
        return payload != null;
    }
}
