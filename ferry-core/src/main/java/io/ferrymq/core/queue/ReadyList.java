package io.ferrymq.core.queue;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The ready messages of a queue in FIFO order by enqueue sequence. Guarded by the lock of the
 * queue that holds it.
 *
 * <p>Fresh entries arrive with increasing sequences, so they sit in an {@link ArrayDeque}: O(1)
 * append and take. A requeued entry must go back to its original place, which is usually near
 * the head; those few wait in a heap ordered by sequence, and {@link #poll()} takes the smaller
 * head of the two. So the common case stays O(1) and a requeue costs O(log r) for r requeued.
 */
final class ReadyList {
    private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
    private final PriorityQueue<QueueEntry> requeued =
            new PriorityQueue<>(Comparator.comparingLong(QueueEntry::sequence));

    /** Appends an entry whose sequence is higher than any entry seen before. */
    void append(QueueEntry entry) {
        fresh.addLast(entry);
    }

    /** Puts an entry that was taken before back to its place by sequence. */
    void requeue(QueueEntry entry) {
        requeued.add(entry);
    }

    QueueEntry poll() {
        QueueEntry oldRequeued = requeued.peek();
        QueueEntry oldFresh = fresh.peekFirst();
        if (oldRequeued != null && (oldFresh == null || oldRequeued.sequence() < oldFresh.sequence())) {
            return requeued.poll();
        }
        return fresh.pollFirst();
    }

    boolean isEmpty() {
        return fresh.isEmpty() && requeued.isEmpty();
    }

    int size() {
        return fresh.size() + requeued.size();
    }

    /** Removes every entry, handing each to {@code action} in no particular order. */
    void drain(Consumer<QueueEntry> action) {
        fresh.forEach(action);
        requeued.forEach(action);
        fresh.clear();
        requeued.clear();
    }
}
