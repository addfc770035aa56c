package io.ferrymq.core.dedup;

import io.ferrymq.core.Message;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.StoredChange;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Thread-safe (its own monitor, taken inside the owner's lock): the deduplication window of one queue or exchange
 * (G4). A message whose key ({@link DedupKey}) is in the window is a duplicate; any other key enters it. The window
 * holds at most {@code x-cache-size} keys (the oldest leave first) for at most {@code x-cache-ttl} ms each, by the
 * broker's clock; keys leave lazily, when a later message is admitted.
 *
 * <p><b>Durability.</b> The window of a stored owner is the journal stream {@code -ownerKey}: one small entry per
 * key ({@link DedupRecord}), added when the key enters (the owner writes it with the message, see
 * {@link Admission#record()}) and deleted, without an fsync of its own, when the key leaves. One record per
 * message was chosen over rebuilding the window from the stored messages because an acknowledged message leaves
 * the store while its key must stay, and because a transient message has no stored copy at all; the record rides
 * in the same fsync (for a queue, in the same atomic batch) as the message, so it costs bytes, not an fsync.
 */
public final class Deduplicator {

    /** What {@link #admit} decided for one message. */
    public record Admission(String key, long entry, long seenAt, StoredChange.Add record) {
        public static final Admission DUPLICATE = new Admission(null, 0, 0, null);

        /** The key is in the window: confirm the message, do not enqueue or route it. */
        public boolean duplicate() {
            return this == DUPLICATE;
        }
    }

    private static final class Seen {
        final long at;
        final long entry;
        /** The stored record's address, once written; null when not stored (or not yet submitted). */
        CompletableFuture<Long> stored;

        Seen(long at, long entry) {
            this.at = at;
            this.entry = entry;
        }
    }

    private final DedupSettings settings;
    private final Persistence persistence;
    private final LinkedHashMap<String, Seen> window = new LinkedHashMap<>();
    /** The journal stream of the window, or 0 while the owner is not stored. */
    private long stream;
    private long nextEntry = 1;

    public Deduplicator(DedupSettings settings, Persistence persistence) {
        this.settings = settings;
        this.persistence = persistence;
    }

    /** The owner is stored under {@code ownerKey}: keys entering from now on are stored too. */
    public synchronized void storeAs(long ownerKey) {
        stream = -ownerKey;
    }

    /**
     * Checks {@code message}'s key at time {@code now}. Returns null when it has no key (never a duplicate), the
     * {@link Admission#duplicate()} admission when its key is in the window, else an admission whose key entered
     * the window; its {@code record}, when not null, is for the owner to store with the message and hand back to
     * {@link #stored}, or to drop with {@link #forget} if the message was not taken after all.
     */
    public synchronized Admission admit(Message message, long now) {
        String key = DedupKey.of(message);
        if (key == null) {
            return null;
        }
        expire(now);
        if (window.containsKey(key)) {
            return Admission.DUPLICATE;
        }
        long entry = nextEntry++;
        window.put(key, new Seen(now, entry));
        Iterator<Seen> oldest = window.values().iterator();
        while (window.size() > settings.cacheSize()) {
            Seen evicted = oldest.next();
            oldest.remove();
            unstore(evicted);
        }
        StoredChange.Add record = stream == 0 ? null
                : new StoredChange.Add(stream, entry, DedupRecord.encode(now, key));
        return new Admission(key, entry, now, record);
    }

    /** The record of an admission was submitted to the store; completes with its address once written. */
    public synchronized void stored(Admission admission, CompletableFuture<Long> address) {
        Seen seen = window.get(admission.key());
        if (seen != null && seen.entry == admission.entry()) {
            seen.stored = address;
        } else {
            // the key left the window before its record was written: the record goes as soon as it is there
            persistence.delete(stream, admission.entry(), address);
        }
    }

    /** The message of {@code admission} was not taken after all (a transaction failed): its key leaves. */
    public synchronized void forget(Admission admission) {
        Seen seen = window.get(admission.key());
        if (seen != null && seen.entry == admission.entry()) {
            window.remove(admission.key());
        }
    }

    /**
     * At start: a key recovered from the window's stream at {@code address}. Keys come back in the order the store
     * replays them (write order, except for records compaction moved, which arrive later and so leave later).
     *
     * @throws IllegalArgumentException if the record cannot be read
     */
    public synchronized void restore(long entry, long address, ByteBuffer body) {
        DedupRecord.Decoded decoded = DedupRecord.decode(body);
        Seen seen = new Seen(decoded.seenAt(), entry);
        seen.stored = CompletableFuture.completedFuture(address);
        Seen replaced = window.put(decoded.key(), seen);
        if (replaced != null) {
            unstore(replaced);
        }
        nextEntry = Math.max(nextEntry, entry + 1);
    }

    /** The owner is deleted: every stored key goes. */
    public synchronized void clear() {
        window.values().forEach(this::unstore);
        window.clear();
    }

    public synchronized int size() {
        return window.size();
    }

    private void expire(long now) {
        if (settings.ttlMillis() == 0) {
            return;
        }
        Iterator<Map.Entry<String, Seen>> oldest = window.entrySet().iterator();
        while (oldest.hasNext()) {
            Seen seen = oldest.next().getValue();
            if (now - seen.at < settings.ttlMillis()) {
                return;
            }
            oldest.remove();
            unstore(seen);
        }
    }

    private void unstore(Seen seen) {
        if (stream != 0 && seen.stored != null) {
            persistence.delete(stream, seen.entry, seen.stored);
        }
    }
}
