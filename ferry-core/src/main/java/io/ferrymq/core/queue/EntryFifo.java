package io.ferrymq.core.queue;

import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The fresh (never requeued) ready entries of a queue, in sequence order, in chunks of parallel arrays so that an
 * entry whose body is on disk costs a few dozen bytes and no object: its sequence, store address, body size and
 * delivery count sit in primitive arrays ({@value #BYTES_PER_PAGED_ENTRY} bytes with compressed references, 4 more
 * for a message group handle in a chunk that holds grouped entries). An entry whose body is in memory keeps its
 * {@link QueueEntry} in the slot. Guarded by the queue's lock.
 *
 * <p>All entries of one FIFO have the same priority level ({@link #level}). Chunks start small and double up to
 * {@value #MAX_CHUNK} slots, so that the many short FIFOs of a priority queue or of parked message groups cost
 * little, while a long backlog pays the chunk overhead once per {@value #MAX_CHUNK} entries.
 *
 * <p>{@link #pageOut} turns in-memory entries into paged ones, walking a cursor from just behind the head window
 * towards the tail: the head stays in memory because it is delivered next, and the entries just published stay
 * until their store write completes. {@link #poll()} turns a paged slot back into a {@link QueueEntry} without a
 * body; the queue reads the body from the store when it delivers it.
 */
final class EntryFifo {
    static final int BYTES_PER_PAGED_ENTRY = 8 + 8 + 4 + 4 + 4;
    private static final int MIN_CHUNK = 16;
    private static final int MAX_CHUNK = 1024;

    /**
     * A run of slots; slot {@code i} holds either {@code resident[i]} or the primitive fields. {@code group} is
     * allocated only once a paged slot of a grouped entry needs it.
     */
    private static final class Chunk {
        final long base;
        final int capacity;
        final QueueEntry[] resident;
        final long[] sequence;
        final long[] address;
        final int[] size;
        final int[] deliveries;
        int[] group;
        Chunk next;

        Chunk(long base, int capacity) {
            this.base = base;
            this.capacity = capacity;
            resident = new QueueEntry[capacity];
            sequence = new long[capacity];
            address = new long[capacity];
            size = new int[capacity];
            deliveries = new int[capacity];
        }

        long end() {
            return base + capacity;
        }

        int groupAt(int i) {
            return group == null ? QueueEntry.NO_GROUP : group[i];
        }

        void setGroup(int i, int value) {
            if (group == null) {
                if (value == QueueEntry.NO_GROUP) {
                    return;
                }
                group = new int[capacity];
            }
            group[i] = value;
        }
    }

    /** The priority level of every entry here. */
    private final int level;

    private Chunk head;
    private Chunk tail;
    /** Absolute positions: slots [headPos, tailPos) are live; {@code cursor} is where paging out goes on. */
    private long headPos;
    private long tailPos;
    private long cursor;
    private Chunk cursorChunk;

    EntryFifo(int level) {
        this.level = level;
    }

    void addLast(QueueEntry entry) {
        Chunk chunk = slotForAppend();
        chunk.resident[(int) (tailPos++ - chunk.base)] = entry;
    }

    /** Appends an entry whose body is in the store only (recovery). */
    void addLastPaged(long sequence, long address, int size, int deliveries, int group) {
        Chunk chunk = slotForAppend();
        int i = (int) (tailPos++ - chunk.base);
        chunk.sequence[i] = sequence;
        chunk.address[i] = address;
        chunk.size[i] = size;
        chunk.deliveries[i] = deliveries;
        chunk.setGroup(i, group);
    }

    private Chunk slotForAppend() {
        if (tail == null || tailPos == tail.end()) {
            Chunk chunk = new Chunk(tailPos, tail == null ? MIN_CHUNK : Math.min(tail.capacity * 2, MAX_CHUNK));
            if (tail == null) {
                head = chunk;
                cursorChunk = chunk;
                cursor = tailPos;
            } else {
                tail.next = chunk;
            }
            tail = chunk;
        }
        return tail;
    }

    boolean isEmpty() {
        return headPos == tailPos;
    }

    int size() {
        return (int) (tailPos - headPos);
    }

    /** Sequence of the head entry; only when not empty. */
    long peekSequence() {
        int i = (int) (headPos - head.base);
        QueueEntry entry = head.resident[i];
        return entry != null ? entry.sequence() : head.sequence[i];
    }

    /** Body size of the head entry; only when not empty. */
    int peekSize() {
        int i = (int) (headPos - head.base);
        QueueEntry entry = head.resident[i];
        return entry != null ? entry.size() : head.size[i];
    }

    /** Whether the head entry's body is in the store only; only when not empty. */
    boolean peekPaged() {
        QueueEntry entry = head.resident[(int) (headPos - head.base)];
        return entry == null || !entry.resident();
    }

    /** Message group handle of the head entry, without turning a paged slot into an object; only when not empty. */
    int peekGroup() {
        int i = (int) (headPos - head.base);
        QueueEntry entry = head.resident[i];
        return entry != null ? entry.group() : head.groupAt(i);
    }

    /**
     * Moves the head entry to the tail of {@code target} as it is: a paged slot stays a paged slot. The target must
     * only get entries in increasing sequence order this way.
     *
     * @return the entry's object when the slot held one, else null
     */
    QueueEntry moveHeadTo(EntryFifo target) {
        int i = (int) (headPos - head.base);
        QueueEntry entry = head.resident[i];
        if (entry != null) {
            target.addLast(entry);
        } else {
            target.addLastPaged(head.sequence[i], head.address[i], head.size[i], head.deliveries[i], head.groupAt(i));
        }
        advanceHead();
        return entry;
    }

    /** The head entry, or null; a paged one becomes a {@link QueueEntry} without its body, kept in its slot. */
    QueueEntry peek() {
        if (isEmpty()) {
            return null;
        }
        int i = (int) (headPos - head.base);
        QueueEntry entry = head.resident[i];
        if (entry == null) {
            entry = QueueEntry.paged(head.sequence[i], head.address[i], head.size[i], head.deliveries[i],
                    Expiry.NEVER, level, head.groupAt(i));
            entry.ready = true;
            head.resident[i] = entry;
        }
        return entry;
    }

    /** Takes the head entry; a paged one comes back as a {@link QueueEntry} without its body. */
    QueueEntry poll() {
        QueueEntry entry = peek();
        if (entry == null) {
            return null;
        }
        advanceHead();
        return entry;
    }

    private void advanceHead() {
        head.resident[(int) (headPos - head.base)] = null;
        headPos++;
        if (headPos == tailPos) {
            clear();
        } else if (headPos == head.end()) {
            head = head.next;
        }
    }

    /**
     * Pages out in-memory entries whose store write is complete, behind the first {@code keepHead} entries, until
     * {@code bytes} were freed or the cursor meets an entry still being written.
     *
     * @return the body bytes freed
     */
    long pageOut(long bytes, int keepHead) {
        if (isEmpty()) {
            return 0;
        }
        moveCursor(Math.max(cursor, Math.min(headPos + keepHead, tailPos)));
        long freed = 0;
        while (freed < bytes && cursor < tailPos) {
            int i = (int) (cursor - cursorChunk.base);
            QueueEntry entry = cursorChunk.resident[i];
            if (entry != null) {
                int pageable = entry.pageable();
                if (pageable == QueueEntry.WRITING) {
                    break;
                }
                if (pageable == QueueEntry.PAGEABLE) {
                    cursorChunk.resident[i] = null;
                    cursorChunk.sequence[i] = entry.sequence();
                    cursorChunk.address[i] = entry.address();
                    cursorChunk.size[i] = entry.size();
                    cursorChunk.deliveries[i] = entry.deliveryCount();
                    cursorChunk.setGroup(i, entry.group());
                    freed += entry.size();
                }
            }
            moveCursor(cursor + 1);
        }
        return freed;
    }

    /** Moves the cursor to {@code to} (not before the head), finding its chunk; chunks only grow in base. */
    private void moveCursor(long to) {
        if (cursorChunk == null || cursorChunk.base < head.base || cursorChunk.base > to) {
            cursorChunk = head;
        }
        while (cursorChunk.next != null && to >= cursorChunk.end()) {
            cursorChunk = cursorChunk.next;
        }
        cursor = to;
    }

    /** Removes the in-memory entries that match {@code dead} (paged slots always stay), keeping the order. */
    void removeIf(Predicate<QueueEntry> dead) {
        rebuild((from, i) -> {
            QueueEntry entry = from.resident[i];
            if (entry == null) {
                keepPaged(from, i);
            } else if (!dead.test(entry)) {
                addLast(entry);
            }
        });
    }

    /**
     * Takes out the entries whose sequence {@code wanted} accepts (paged ones as entries without their body, tombstones
     * left alone), handing each to {@code taken} in order; the others keep their order.
     */
    void takeOut(LongPredicate wanted, Consumer<QueueEntry> taken) {
        rebuild((from, i) -> {
            QueueEntry entry = from.resident[i];
            if (entry == null) {
                if (wanted.test(from.sequence[i])) {
                    taken.accept(QueueEntry.paged(from.sequence[i], from.address[i], from.size[i],
                            from.deliveries[i], Expiry.NEVER, level, from.groupAt(i)));
                } else {
                    keepPaged(from, i);
                }
            } else if (entry.ready && wanted.test(entry.sequence())) {
                taken.accept(entry);
            } else {
                addLast(entry);
            }
        });
    }

    /** One slot of the old contents, while {@link #rebuild} lays out what is kept again. */
    private interface SlotVisitor {
        void visit(Chunk chunk, int index);
    }

    /** Empties the fifo, then shows each old slot in order to {@code visitor}, which re-adds what stays. */
    private void rebuild(SlotVisitor visitor) {
        Chunk from = head;
        long pos = headPos;
        long end = tailPos;
        clear();
        while (pos < end) {
            visitor.visit(from, (int) (pos - from.base));
            pos++;
            if (pos == from.end()) {
                from = from.next;
            }
        }
    }

    private void keepPaged(Chunk from, int i) {
        addLastPaged(from.sequence[i], from.address[i], from.size[i], from.deliveries[i], from.groupAt(i));
    }

    /** Removes every entry, handing each to {@code action} in order (paged ones without their body). */
    void drain(Consumer<QueueEntry> action) {
        while (!isEmpty()) {
            action.accept(poll());
        }
    }

    private void clear() {
        head = null;
        tail = null;
        cursorChunk = null;
        headPos = 0;
        tailPos = 0;
        cursor = 0;
    }
}
