package io.ferrymq.core.queue;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The ready messages of a queue in FIFO order by enqueue sequence. Guarded by the lock of the
 * queue that holds it.
 *
 * <p>Fresh entries arrive with increasing sequences, so they sit in an {@link EntryFifo}: O(1)
 * append and take, and a few dozen bytes per entry whose body is paged out to the store. A
 * requeued entry must go back to its original place, which is usually near the head; those few
 * wait in a heap ordered by sequence, and {@link #poll()} takes the smaller head of the two. So
 * the common case stays O(1) and a requeue costs O(log r) for r requeued.
 */
final class ReadyList {
    private final EntryFifo fresh = new EntryFifo();
    private final PriorityQueue<QueueEntry> requeued =
            new PriorityQueue<>(Comparator.comparingLong(QueueEntry::sequence));
    /** Body bytes of the ready entries whose body is in the store only. */
    private long pagedBytes;
    /** The highest sequence appended to {@link #fresh}: a restored entry below it must go to the heap. */
    private long lastFresh;

    /** Appends an entry whose sequence is higher than any entry seen before. */
    void append(QueueEntry entry) {
        fresh.addLast(entry);
        lastFresh = entry.sequence();
    }

    /** Adds a fresh entry whose sequence was reserved earlier: at the tail, or at its place through the heap. */
    void insert(QueueEntry entry) {
        if (entry.sequence() > lastFresh) {
            append(entry);
        } else {
            requeued.add(entry);
        }
    }

    /**
     * Adds an entry recovered from the store, paged. Recovery meets a queue's entries mostly in sequence order;
     * one that compaction moved arrives late and goes to its place through the heap.
     */
    void restore(long sequence, long address, int size, int deliveries) {
        if (sequence > lastFresh) {
            fresh.addLastPaged(sequence, address, size, deliveries);
            lastFresh = sequence;
        } else {
            requeued.add(QueueEntry.paged(sequence, address, size, deliveries));
        }
        pagedBytes += size;
    }

    /** Puts an entry that was taken before back to its place by sequence. */
    void requeue(QueueEntry entry) {
        requeued.add(entry);
        if (!entry.resident()) {
            pagedBytes += entry.size();
        }
    }

    /**
     * The head entry with its body in memory, read from the store through {@code loader} if it was paged; null
     * when empty. A failed read throws and leaves the head in place, for the caller to take and drop.
     */
    QueueEntry peekLoaded(BodyLoader loader) {
        QueueEntry head = requeuedFirst() ? requeued.peek() : fresh.peek();
        if (head != null && !head.resident()) {
            head.loaded(loader.load(head.address()));
            pagedBytes -= head.size();
        }
        return head;
    }

    QueueEntry poll() {
        QueueEntry head = requeuedFirst() ? requeued.poll() : fresh.poll();
        if (head != null && !head.resident()) {
            pagedBytes -= head.size();
        }
        return head;
    }

    private boolean requeuedFirst() {
        QueueEntry oldRequeued = requeued.peek();
        return oldRequeued != null && (fresh.isEmpty() || oldRequeued.sequence() < fresh.peekSequence());
    }

    /** See {@link EntryFifo#pageOut}. */
    long pageOut(long bytes, int keepHead) {
        long freed = fresh.pageOut(bytes, keepHead);
        pagedBytes += freed;
        return freed;
    }

    /** Body bytes of the ready entries that are in the store only. */
    long pagedBytes() {
        return pagedBytes;
    }

    boolean isEmpty() {
        return fresh.isEmpty() && requeued.isEmpty();
    }

    int size() {
        return fresh.size() + requeued.size();
    }

    /** Removes every entry, handing each to {@code action} in no particular order (paged ones without body). */
    void drain(Consumer<QueueEntry> action) {
        fresh.drain(action);
        requeued.forEach(action);
        requeued.clear();
        pagedBytes = 0;
    }
}
