package io.ferrymq.store.journal;

import java.util.function.IntConsumer;

/**
 * Owned by one thread (its segment state's): a set of positive {@code int}s (record offsets in a segment) in
 * open-addressed arrays, about 8 bytes per element instead of the ~50 of a {@code HashSet<Integer>}, which matters
 * because dead offsets of sparse segments are what the ledger holds most.
 *
 * <p>The elements are spread over {@value #SHARDS} tables by their hash, each growing on its own, so that no array
 * gets large: a 64 MiB segment of 1 KB messages holds about 60,000 dead offsets, which in one table was a 512 KiB
 * array and then a 1 MiB one. An array of half a G1 region or more is "humongous": allocated straight into the old
 * generation, each such allocation may start a collection, and a burst of them made G1 grow the broker's heap.
 */
final class OffsetSet {

    private static final int EMPTY = 0;
    private static final int SHARDS = 64;
    private static final int SHARD_BITS = Integer.numberOfTrailingZeros(SHARDS);
    private static final int FIRST_CAPACITY = 8;

    /** Created when the first element lands in them. */
    private final int[][] shards = new int[SHARDS][];
    private final int[] shardSizes = new int[SHARDS];
    private int size;

    /** @return true if {@code offset} was not in the set */
    boolean add(int offset) {
        if (offset <= 0) {
            throw new IllegalArgumentException("record offset " + offset + " must be positive");
        }
        int hash = hash(offset);
        int shard = hash >>> (Integer.SIZE - SHARD_BITS);
        int[] slots = shards[shard];
        if (slots == null) {
            slots = shards[shard] = new int[FIRST_CAPACITY];
        } else if ((shardSizes[shard] + 1) * 2 > slots.length) {
            slots = shards[shard] = grown(slots);
        }
        if (!insert(slots, offset, hash)) {
            return false;
        }
        shardSizes[shard]++;
        size++;
        return true;
    }

    boolean contains(int offset) {
        int hash = hash(offset);
        int[] slots = shards[hash >>> (Integer.SIZE - SHARD_BITS)];
        if (slots == null) {
            return false;
        }
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
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
        for (int[] slots : shards) {
            if (slots == null) {
                continue;
            }
            for (int slot : slots) {
                if (slot != EMPTY) {
                    action.accept(slot);
                }
            }
        }
    }

    /** @return false if {@code offset} was there already */
    private static boolean insert(int[] slots, int offset, int hash) {
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            if (slots[i] == offset) {
                return false;
            }
            if (slots[i] == EMPTY) {
                slots[i] = offset;
                return true;
            }
        }
    }

    private static int[] grown(int[] old) {
        int[] slots = new int[old.length * 2];
        for (int offset : old) {
            if (offset != EMPTY) {
                insert(slots, offset, hash(offset));
            }
        }
        return slots;
    }

    /** The top bits pick the shard, the bottom bits the slot in it: both well mixed. */
    private static int hash(int offset) {
        int h = offset * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
