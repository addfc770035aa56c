package io.ferrymq.core.queue;

import io.ferrymq.core.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The message groups of an {@code x-message-groups} queue: per group (not per message) its owner, its counts and
 * its parked entries. Guarded by the queue's lock.
 *
 * <p>An entry carries only a small int handle of its group ({@link QueueEntry#group()}, also kept in the paged
 * slots of {@link EntryFifo}), so grouped messages page out like any other. A group is known while it has an entry
 * in the queue (ready, parked, waiting or unacknowledged) and forgotten after, so the index holds live groups only.
 *
 * <p><b>Parking.</b> Order matters only within a group, so when the queue's head belongs to a group that cannot
 * take it now (its owner has no credit, or it has an entry waiting for a retry), the head moves to the group's own
 * parked list, as a paged slot when it is one, and the queue goes on with the next head. Every later entry of a
 * group with parked entries is parked behind them, so a group's parked entries always come before its entries
 * still in the main list, and the parked lists are served first. An entry moves at most once, so this costs O(1)
 * per message however many groups are blocked.
 */
final class MessageGroups {
    /** {@link Group#owner} of a group no consumer holds. */
    static final long NO_OWNER = -1;

    /** One live group. */
    static final class Group {
        final int handle;
        final String id;
        /** The consumer (or {@link QueueMachine#NO_CONSUMER}, basic.get) holding its unacknowledged entries. */
        long owner = NO_OWNER;
        int unacked;
        /** Its entries waiting for a retry: while there are any, the group is held back. */
        int waiting;
        /** Its entries in the queue, in any state; the group is forgotten at 0. */
        int entries;
        /** Its parked ready entries, or null when none. */
        ReadyLevels parked;

        Group(int handle, String id) {
            this.handle = handle;
            this.id = id;
        }

        boolean hasParked() {
            return parked != null && !parked.isEmpty();
        }

        /** Whether its next entry must wait: a retry of the group is pending. */
        boolean heldBack() {
            return waiting > 0;
        }
    }

    private final Map<String, Group> byId = new HashMap<>();
    private Group[] byHandle = new Group[16];
    private int[] freeHandles = new int[16];
    private int freeCount;
    private int nextHandle = 1;
    /** The groups with parked entries, in the order they were parked. */
    private final LinkedHashSet<Group> withParked = new LinkedHashSet<>();
    private int parkedCount;
    private long parkedBytes;
    private long parkedPagedBytes;

    /** The group id a message names in its {@code x-group-id} header, or null (ungrouped). */
    static String groupIdOf(Message message) {
        return StoredMessage.groupIdOf(message.properties().headers());
    }

    /** The handle of group {@code id} for one more entry of it ({@link QueueEntry#NO_GROUP} for null). */
    int join(String id) {
        if (id == null) {
            return QueueEntry.NO_GROUP;
        }
        Group group = byId.get(id);
        if (group == null) {
            int handle = freeCount > 0 ? freeHandles[--freeCount] : nextHandle++;
            if (handle >= byHandle.length) {
                byHandle = java.util.Arrays.copyOf(byHandle, byHandle.length * 2);
            }
            group = new Group(handle, id);
            byHandle[handle] = group;
            byId.put(id, group);
        }
        group.entries++;
        return group.handle;
    }

    /** The group of handle {@code handle}, or null for {@link QueueEntry#NO_GROUP}. */
    Group get(int handle) {
        return handle == QueueEntry.NO_GROUP ? null : byHandle[handle];
    }

    Group of(QueueEntry entry) {
        return get(entry.group());
    }

    /** One entry of the group left the queue for good. */
    void leave(QueueEntry entry) {
        Group group = of(entry);
        if (group == null) {
            return;
        }
        if (--group.entries == 0) {
            // byHandle keeps the group until its handle is reused, for rejoin
            byId.remove(group.id);
            if (freeCount == freeHandles.length) {
                freeHandles = java.util.Arrays.copyOf(freeHandles, freeCount * 2);
            }
            freeHandles[freeCount++] = group.handle;
        }
    }

    /**
     * A no-ack delivery that left the queue came back (its session closed before it was sent): its entry counts
     * in its group again. Its handle cannot have been reused meanwhile: only {@link #join} reuses handles, and no
     * message is enqueued between a delivery and its return.
     */
    void rejoin(QueueEntry entry) {
        Group group = entry.group() == QueueEntry.NO_GROUP ? null : byHandle[entry.group()];
        if (group == null) {
            return;
        }
        if (group.entries++ == 0) {
            byId.put(group.id, group);
            for (int i = freeCount - 1; i >= 0; i--) {
                if (freeHandles[i] == group.handle) {
                    freeHandles[i] = freeHandles[--freeCount];
                    break;
                }
            }
        }
    }

    /** An entry of the group went to {@code consumerId} and waits for its acknowledgement. */
    void delivered(Group group, long consumerId) {
        group.owner = consumerId;
        group.unacked++;
    }

    /** An unacknowledged entry of the group was settled or came back: with none left, anyone may own it. */
    void settled(QueueEntry entry) {
        Group group = of(entry);
        if (group != null && --group.unacked == 0) {
            group.owner = NO_OWNER;
        }
    }

    /** Moves the head of {@code main} (an entry of {@code group}) behind the group's parked entries. */
    void park(Group group, ReadyLevels main) {
        if (group.parked == null) {
            group.parked = new ReadyLevels();
        }
        long before = main.pagedBytes();
        int size = main.size();
        long bytes = main.bytes();
        QueueEntry moved = main.moveHeadTo(group.parked);
        if (moved != null) {
            moved.parked = true;
        }
        parkedCount += size - main.size();
        parkedBytes += bytes - main.bytes();
        parkedPagedBytes += before - main.pagedBytes();
        withParked.add(group);
    }

    /** Puts an entry taken before back at its place among the group's parked entries (the group must have some). */
    void requeueParked(Group group, QueueEntry entry) {
        Counts before = counts(group);
        group.parked.requeue(entry);
        entry.parked = true;
        after(group, before);
    }

    /** The group's first parked entry with its body in memory; see {@link ReadyList#peekLoaded}. */
    QueueEntry peekLoadedParked(Group group, BodyLoader loader) {
        Counts before = counts(group);
        try {
            return group.parked.peekLoaded(loader);
        } finally {
            after(group, before);
        }
    }

    QueueEntry peekParked(Group group) {
        return group.parked.peek();
    }

    /** Takes the group's first parked entry (there must be one). */
    QueueEntry pollParked(Group group) {
        Counts before = counts(group);
        QueueEntry entry = group.parked.poll();
        entry.parked = false;
        after(group, before);
        return entry;
    }

    /** Takes a parked entry out wherever it sits (it expired). */
    void removeParked(QueueEntry entry) {
        Group group = of(entry);
        Counts before = counts(group);
        group.parked.remove(entry);
        entry.parked = false;
        after(group, before);
    }

    /** The groups that have parked entries, oldest parking first; a copy, so the caller may change them. */
    List<Group> parkedGroups() {
        return new ArrayList<>(withParked);
    }

    /** Removes every parked entry of every group, handing each to {@code action}. */
    void drainParked(java.util.function.Consumer<QueueEntry> action) {
        for (Group group : parkedGroups()) {
            group.parked.drain(entry -> {
                entry.parked = false;
                action.accept(entry);
            });
            group.parked = null;
        }
        withParked.clear();
        parkedCount = 0;
        parkedBytes = 0;
        parkedPagedBytes = 0;
    }

    int parkedCount() {
        return parkedCount;
    }

    long parkedBytes() {
        return parkedBytes;
    }

    long parkedPagedBytes() {
        return parkedPagedBytes;
    }

    private record Counts(int size, long bytes, long paged) {
    }

    private static Counts counts(Group group) {
        return new Counts(group.parked.size(), group.parked.bytes(), group.parked.pagedBytes());
    }

    private void after(Group group, Counts before) {
        parkedCount += group.parked.size() - before.size();
        parkedBytes += group.parked.bytes() - before.bytes();
        parkedPagedBytes += group.parked.pagedBytes() - before.paged();
        if (group.parked.isEmpty()) {
            withParked.remove(group);
            group.parked = null;
        } else {
            withParked.add(group);
        }
    }
}
