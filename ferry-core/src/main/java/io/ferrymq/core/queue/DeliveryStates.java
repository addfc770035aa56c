package io.ferrymq.core.queue;

import io.ferrymq.core.persist.Persistence;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The stored {@link DeliveryState}s of one stored queue's messages, so that delivery counts ({@code x-delivery-count},
 * {@code x-delivery-limit}) and retry due times survive a restart. Guarded by the queue's lock.
 *
 * <p>Cost: one small record when a delivery of a stored message fails (nack or reject with requeue, a consumer gone,
 * an ack timeout), none per delivery; nobody waits for its fsync. The state replaces the message's previous one
 * (written first, the old one deleted after, so a crash in between leaves two, and recovery keeps the newer), and
 * goes when the message leaves. Entry ids are negative, {@code -n} for the n-th state written by the queue, so they
 * never meet a message's sequence.
 */
final class DeliveryStates {
    /** A state in the store. */
    private record Written(long entry, CompletableFuture<Long> address, DeliveryState state) {
    }

    private final Persistence store;
    private final Map<Long, Written> bySequence = new HashMap<>();
    /** At start: states a newer one replaced, deleted once the store is open. */
    private final Map<Long, Written> stale = new HashMap<>();
    private long lastId;

    DeliveryStates(Persistence store) {
        this.store = store;
    }

    /** A delivery of the stored message {@code entry} failed; it is ready again at {@code readyAt}. */
    void failed(long stream, QueueEntry entry, long readyAt) {
        if (entry.stored() == null) {
            return;
        }
        DeliveryState state = new DeliveryState(entry.sequence(), entry.deliveryCount(), readyAt);
        long id = -(++lastId);
        Written previous = bySequence.put(entry.sequence(), new Written(id, store.add(stream, id, state.encode()),
                state));
        if (previous != null) {
            store.delete(stream, previous.entry(), previous.address());
        }
    }

    /** The message left the queue (or a transaction took its stored copy): its state goes too. */
    void gone(long stream, long sequence) {
        Written written = bySequence.remove(sequence);
        if (written != null) {
            store.delete(stream, written.entry(), written.address());
        }
    }

    /** At start: a state found in the store; of two for one message, the newer wins (the older goes later). */
    void restore(long entry, long address, ByteBuffer record) {
        DeliveryState state = DeliveryState.decode(record);
        lastId = Math.max(lastId, -entry);
        Written found = new Written(entry, CompletableFuture.completedFuture(address), state);
        Written other = bySequence.get(state.sequence());
        if (other != null && other.entry() < entry) {
            stale.put(entry, found); // the other one is newer: ids count down
            return;
        }
        bySequence.put(state.sequence(), found);
        if (other != null) {
            stale.put(other.entry(), other);
        }
    }

    /** The restored states, by message sequence, for {@link QueueCommand.RestoreDeliveries}. */
    Map<Long, DeliveryState> restored() {
        Map<Long, DeliveryState> states = new HashMap<>();
        bySequence.forEach((sequence, written) -> states.put(sequence, written.state()));
        return states;
    }

    /**
     * At start, once the store is open and the states were applied: the states of the messages in {@code absent}
     * (gone before the crash) and the older of two states of one message are deleted.
     */
    void finishRestore(long stream, Set<Long> absent) {
        absent.forEach(sequence -> gone(stream, sequence));
        stale.values().forEach(written -> store.delete(stream, written.entry(), written.address()));
        stale.clear();
    }
}
