package io.ferrymq.core.queue;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Ready entries by priority level: one {@link ReadyList} per level actually used, created when a first entry of
 * that level arrives, so a queue without {@code x-max-priority} has exactly one list and a priority queue never
 * pays for the 255 levels it might use. The head is the head of the highest non-empty level: higher priority first,
 * FIFO (by sequence, requeued entries back at their place) within a level. Guarded by the queue's lock.
 */
final class ReadyLevels {
    private ReadyList[] levels = new ReadyList[1];

    private ReadyList level(int priority) {
        if (priority >= levels.length) {
            levels = Arrays.copyOf(levels, priority + 1);
        }
        ReadyList list = levels[priority];
        if (list == null) {
            list = new ReadyList(priority);
            levels[priority] = list;
        }
        return list;
    }

    /** The highest level with an entry, or null. */
    private ReadyList highest() {
        for (int p = levels.length - 1; p >= 0; p--) {
            if (levels[p] != null && !levels[p].isEmpty()) {
                return levels[p];
            }
        }
        return null;
    }

    /** Appends an entry whose sequence is higher than any of its level seen before. */
    void append(QueueEntry entry) {
        level(entry.priority()).append(entry);
    }

    /** See {@link ReadyList#insert}. */
    void insert(QueueEntry entry) {
        level(entry.priority()).insert(entry);
    }

    /** See {@link ReadyList#restore}. */
    QueueEntry restore(long sequence, long address, int size, int deliveries, long expiresAt, int priority,
                       int group) {
        return level(priority).restore(sequence, address, size, deliveries, expiresAt, group);
    }

    void requeue(QueueEntry entry) {
        level(entry.priority()).requeue(entry);
    }

    QueueEntry peek() {
        ReadyList top = highest();
        return top == null ? null : top.peek();
    }

    /** See {@link ReadyList#peekLoaded}. */
    QueueEntry peekLoaded(BodyLoader loader) {
        ReadyList top = highest();
        return top == null ? null : top.peekLoaded(loader);
    }

    /** The message group handle of the head (there must be one), without materialising a paged slot. */
    int peekGroup() {
        return highest().peekGroup();
    }

    QueueEntry poll() {
        ReadyList top = highest();
        return top == null ? null : top.poll();
    }

    /** Moves the head (there must be one) to its level in {@code target}; see {@link ReadyList#moveHeadTo}. */
    QueueEntry moveHeadTo(ReadyLevels target) {
        ReadyList top = highest();
        return top.moveHeadTo(target.level(top.level()));
    }

    /** See {@link ReadyList#takeOut}, on every level. */
    void takeOut(LongPredicate wanted, Consumer<QueueEntry> action) {
        for (ReadyList list : levels) {
            if (list != null) {
                list.takeOut(wanted, action);
            }
        }
    }

    /** Takes a ready entry out wherever it sits. */
    void remove(QueueEntry entry) {
        levels[entry.priority()].remove(entry);
    }

    /** Pages out from the lowest level up, since the highest is delivered first; see {@link ReadyList#pageOut}. */
    long pageOut(long limit, int keepHead) {
        long freed = 0;
        for (ReadyList list : levels) {
            if (freed >= limit) {
                break;
            }
            if (list != null) {
                freed += list.pageOut(limit - freed, keepHead);
            }
        }
        return freed;
    }

    boolean isEmpty() {
        return highest() == null;
    }

    int size() {
        int size = 0;
        for (ReadyList list : levels) {
            size += list == null ? 0 : list.size();
        }
        return size;
    }

    long bytes() {
        long bytes = 0;
        for (ReadyList list : levels) {
            bytes += list == null ? 0 : list.bytes();
        }
        return bytes;
    }

    long pagedBytes() {
        long bytes = 0;
        for (ReadyList list : levels) {
            bytes += list == null ? 0 : list.pagedBytes();
        }
        return bytes;
    }

    /** Removes every entry, highest level first, handing each to {@code action}. */
    void drain(Consumer<QueueEntry> action) {
        for (int p = levels.length - 1; p >= 0; p--) {
            if (levels[p] != null) {
                levels[p].drain(action);
            }
        }
    }
}
