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
 *
 * <p>An entry taken out from the middle (it expired where it sat) is only marked ({@link QueueEntry#ready} false)
 * and skipped when it reaches a head: O(1) instead of a search. Such tombstones are swept out when they
 * outnumber the live entries, so they never hold more than half the list.
 */
final class ReadyList {
    private static final int SWEEP_THRESHOLD = 1024;

    private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
    private final PriorityQueue<QueueEntry> requeued =
            new PriorityQueue<>(Comparator.comparingLong(QueueEntry::sequence));
    private int live;
    private long bytes;
    private int tombstones;

    /** Appends an entry whose sequence is higher than any entry seen before. */
    void append(QueueEntry entry) {
        fresh.addLast(entry);
        added(entry);
    }

    /** Puts an entry that was taken before back to its place by sequence. */
    void requeue(QueueEntry entry) {
        requeued.add(entry);
        added(entry);
    }

    /** The entry {@link #poll()} would take, or null. */
    QueueEntry peek() {
        skipTombstones();
        QueueEntry oldRequeued = requeued.peek();
        QueueEntry oldFresh = fresh.peekFirst();
        if (oldRequeued != null && (oldFresh == null || oldRequeued.sequence() < oldFresh.sequence())) {
            return oldRequeued;
        }
        return oldFresh;
    }

    QueueEntry poll() {
        QueueEntry head = peek();
        if (head != null) {
            if (head == requeued.peek()) {
                requeued.poll();
            } else {
                fresh.pollFirst();
            }
            taken(head);
        }
        return head;
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

    boolean isEmpty() {
        return live == 0;
    }

    int size() {
        return live;
    }

    /** Body bytes of the ready entries. */
    long bytes() {
        return bytes;
    }

    /** Removes every entry, handing each to {@code action} in no particular order. */
    void drain(Consumer<QueueEntry> action) {
        Consumer<QueueEntry> each = entry -> {
            if (entry.ready) {
                entry.ready = false;
                action.accept(entry);
            }
        };
        fresh.forEach(each);
        requeued.forEach(each);
        fresh.clear();
        requeued.clear();
        live = 0;
        bytes = 0;
        tombstones = 0;
    }

    private void added(QueueEntry entry) {
        entry.ready = true;
        live++;
        bytes += entry.bodySize();
    }

    private void taken(QueueEntry entry) {
        entry.ready = false;
        live--;
        bytes -= entry.bodySize();
    }

    private void skipTombstones() {
        while (!fresh.isEmpty() && !fresh.peekFirst().ready) {
            fresh.pollFirst();
            tombstones--;
        }
        while (!requeued.isEmpty() && !requeued.peek().ready) {
            requeued.poll();
            tombstones--;
        }
    }
}
