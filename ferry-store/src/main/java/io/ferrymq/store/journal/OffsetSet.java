package io.ferrymq.store.journal;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Owned by one thread (its segment state's): a set of positive {@code int}s (record offsets in a segment) in one
 * open-addressed array, about 8 bytes per element instead of the ~50 of a {@code HashSet<Integer>}, which matters
 * because dead offsets of sparse segments are what the ledger holds most.
 */
final class OffsetSet {

    private static final int EMPTY = 0;

    private int[] slots = new int[8];
    private int size;

    /** @return true if {@code offset} was not in the set */
    boolean add(int offset) {
        if (offset <= 0) {
            throw new IllegalArgumentException("record offset " + offset + " must be positive");
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = hash(offset) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == offset) {
                return false;
            }
            if (slots[i] == EMPTY) {
                slots[i] = offset;
                size++;
                return true;
            }
        }
    }

    boolean contains(int offset) {
        int mask = slots.length - 1;
        for (int i = hash(offset) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == offset) {
                return true;
            }
            if (slots[i] == EMPTY) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    void forEach(IntConsumer action) {
        for (int slot : slots) {
            if (slot != EMPTY) {
                action.accept(slot);
            }
        }
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        size = 0;
        Arrays.stream(old).filter(s -> s != EMPTY).forEach(this::add);
    }

    private static int hash(int offset) {
        int h = offset * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
