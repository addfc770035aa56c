package io.ferrymq.core.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The ready messages of one priority level of a queue (or of one parked message group) in FIFO order by enqueue
 * sequence. Guarded by the lock of the queue that holds it.
 *
 * <p>Fresh entries arrive with increasing sequences, so they sit in an {@link EntryFifo}: O(1)
 * append and take, and a few dozen bytes per entry whose body is paged out to the store. A
 * requeued entry must go back to its original place, which is usually near the head; those few
 * wait in a heap ordered by sequence, and {@link #poll()} takes the smaller head of the two. So
 * the common case stays O(1) and a requeue costs O(log r) for r requeued.
 *
 * <p>An entry taken out from the middle (it expired where it sat) is only marked ({@link QueueEntry#ready} false)
 * and skipped when it reaches a head: O(1) instead of a search. Such tombstones are swept out when they
 * outnumber the live entries, so they never hold more than half the list.
 */
final class ReadyList {
    private static final int SWEEP_THRESHOLD = 1024;

    private final int level;
    private final EntryFifo fresh;
    private final PriorityQueue<QueueEntry> requeued =
            new PriorityQueue<>(Comparator.comparingLong(QueueEntry::sequence));
    private int live;
    /** Body bytes of the ready entries, in memory or not. */
    private long bytes;
    /** Body bytes of the ready entries whose body is in the store only. */
    private long pagedBytes;
    private int tombstones;
    /** The highest sequence appended to {@link #fresh}: a restored entry below it must go to the heap. */
    private long lastFresh;

    /** A list of the entries of priority {@code level}. */
    ReadyList(int level) {
        this.level = level;
        this.fresh = new EntryFifo(level);
    }

    int level() {
        return level;
    }

    /** Appends an entry whose sequence is higher than any entry seen before. */
    void append(QueueEntry entry) {
        fresh.addLast(entry);
        lastFresh = entry.sequence();
        added(entry);
    }

    /** Adds a fresh entry whose sequence was reserved earlier: at the tail, or at its place through the heap. */
    void insert(QueueEntry entry) {
        if (entry.sequence() > lastFresh) {
            append(entry);
        } else {
            requeue(entry);
        }
    }

    /**
     * Adds an entry recovered from the store, paged. Recovery meets a queue's entries mostly in sequence order;
     * one that compaction moved arrives late and goes to its place through the heap. An entry that expires stays
     * an object (the machine's expiry index holds it).
     *
     * @return the entry's object when it has one (it expires, or went to the heap), else null
     */
    QueueEntry restore(long sequence, long address, int size, int deliveries, long expiresAt, int group) {
        live++;
        bytes += size;
        pagedBytes += size;
        boolean inOrder = sequence > lastFresh;
        if (inOrder && expiresAt == Expiry.NEVER) {
            fresh.addLastPaged(sequence, address, size, deliveries, group);
            lastFresh = sequence;
            return null;
        }
        QueueEntry entry = QueueEntry.paged(sequence, address, size, deliveries, expiresAt, level, group);
        entry.ready = true;
        if (inOrder) {
            fresh.addLast(entry);
            lastFresh = sequence;
        } else {
            requeued.add(entry);
        }
        return entry;
    }

    /** Puts an entry that was taken before back to its place by sequence. */
    void requeue(QueueEntry entry) {
        requeued.add(entry);
        added(entry);
    }

    /** The entry {@link #poll()} would take, or null; its body may be in the store only. */
    QueueEntry peek() {
        skipTombstones();
        return requeuedFirst() ? requeued.peek() : fresh.peek();
    }

    /**
     * The head entry with its body in memory, read from the store through {@code loader} if it was paged; null
     * when empty. A failed read throws and leaves the head in place, for the caller to take and drop.
     */
    QueueEntry peekLoaded(BodyLoader loader) {
        QueueEntry head = peek();
        if (head != null && !head.resident()) {
            head.loaded(loader.load(head.address()));
            pagedBytes -= head.size();
        }
        return head;
    }

    /** The message group handle of the head entry (the list must not be empty), a paged slot staying a slot. */
    int peekGroup() {
        skipTombstones();
        return requeuedFirst() ? requeued.peek().group() : fresh.peekGroup();
    }

    /**
     * Moves the head entry (there must be one) to {@code target}, a paged slot staying a slot: used to park the
     * entries of a message group that cannot be delivered now, without reading or materialising them.
     *
     * @return the entry's object when it has one, else null
     */
    QueueEntry moveHeadTo(ReadyList target) {
        skipTombstones();
        if (requeuedFirst()) {
            QueueEntry entry = poll();
            target.requeue(entry);
            return entry;
        }
        int size = fresh.peekSize();
        boolean paged = fresh.peekPaged();
        long sequence = fresh.peekSequence();
        QueueEntry entry = fresh.moveHeadTo(target.fresh);
        target.lastFresh = Math.max(target.lastFresh, sequence);
        live--;
        bytes -= size;
        target.live++;
        target.bytes += size;
        if (paged) {
            pagedBytes -= size;
            target.pagedBytes += size;
        }
        return entry;
    }

    QueueEntry poll() {
        skipTombstones();
        QueueEntry head = requeuedFirst() ? requeued.poll() : fresh.poll();
        if (head != null) {
            taken(head);
        }
        return head;
    }

    private boolean requeuedFirst() {
        QueueEntry oldRequeued = requeued.peek();
        return oldRequeued != null && (fresh.isEmpty() || oldRequeued.sequence() < fresh.peekSequence());
    }

    /** Takes a ready entry out wherever it sits. */
    void remove(QueueEntry entry) {
        taken(entry);
        tombstones++;
        if (tombstones > SWEEP_THRESHOLD && tombstones > live) {
            fresh.removeIf(e -> !e.ready);
            requeued.removeIf(e -> !e.ready);
            tombstones = 0;
        }
    }

    /**
     * Takes out the ready entries whose sequence {@code wanted} accepts, paged ones as entries without their body
     * (recovery: their delivery state was stored apart), and hands them to {@code action}; they are no longer ready.
     */
    void takeOut(LongPredicate wanted, Consumer<QueueEntry> action) {
        List<QueueEntry> out = new ArrayList<>();
        fresh.takeOut(wanted, out::add);
        requeued.removeIf(entry -> {
            if (entry.ready && wanted.test(entry.sequence())) {
                out.add(entry);
                return true;
            }
            return false;
        });
        for (QueueEntry entry : out) {
            taken(entry);
            action.accept(entry);
        }
    }

    /** See {@link EntryFifo#pageOut}. */
    long pageOut(long limit, int keepHead) {
        long freed = fresh.pageOut(limit, keepHead);
        pagedBytes += freed;
        return freed;
    }

    boolean isEmpty() {
        return live == 0;
    }

    int size() {
        return live;
    }

    /** Body bytes of the ready entries, in memory or in the store. */
    long bytes() {
        return bytes;
    }

    /** Body bytes of the ready entries that are in the store only. */
    long pagedBytes() {
        return pagedBytes;
    }

    /** Removes every entry, handing each to {@code action} (paged ones without their body). */
    void drain(Consumer<QueueEntry> action) {
        Consumer<QueueEntry> each = entry -> {
            if (entry.ready) {
                entry.ready = false;
                action.accept(entry);
            }
        };
        fresh.drain(each);
        requeued.forEach(each);
        requeued.clear();
        live = 0;
        bytes = 0;
        pagedBytes = 0;
        tombstones = 0;
    }

    private void added(QueueEntry entry) {
        entry.ready = true;
        live++;
        bytes += entry.size();
        if (!entry.resident()) {
            pagedBytes += entry.size();
        }
    }

    private void taken(QueueEntry entry) {
        entry.ready = false;
        live--;
        bytes -= entry.size();
        if (!entry.resident()) {
            pagedBytes -= entry.size();
        }
    }

    private void skipTombstones() {
        while (!fresh.isEmpty() && !fresh.peek().ready) {
            fresh.poll();
            tombstones--;
        }
        while (!requeued.isEmpty() && !requeued.peek().ready) {
            requeued.poll();
            tombstones--;
        }
    }
}
