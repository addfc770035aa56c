package io.ferrymq.core.queue;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's consumers in the order they are offered messages: by priority, highest first, and
 * round-robin within a priority. Guarded by the lock of the queue that holds it.
 *
 * <p>Each priority has a ring (a deque whose head is next in turn). A consumer is rotated to the
 * tail whether or not it had credit, so the one after it gets the next turn either way.
 */
final class ConsumerRing {
    /**
     * A consumer as the machine knows it.
     *
     * @param joined when it joined, in the queue's own count: earlier is senior among equal priorities
     */
    record Member(long id, int priority, boolean noAck, long joined) {
    }

    private final TreeMap<Integer, ArrayDeque<Member>> byPriority = new TreeMap<>(Comparator.reverseOrder());
    private final Map<Long, Member> byId = new HashMap<>();

    void add(Member member) {
        if (byId.putIfAbsent(member.id(), member) != null) {
            throw new IllegalStateException("consumer " + member.id() + " is already on this queue");
        }
        byPriority.computeIfAbsent(member.priority(), p -> new ArrayDeque<>()).addLast(member);
    }

    boolean remove(long consumerId) {
        Member member = byId.remove(consumerId);
        if (member == null) {
            return false;
        }
        ArrayDeque<Member> ring = byPriority.get(member.priority());
        ring.remove(member);
        if (ring.isEmpty()) {
            byPriority.remove(member.priority());
        }
        return true;
    }

    Member get(long consumerId) {
        return byId.get(consumerId);
    }

    boolean contains(long consumerId) {
        return byId.containsKey(consumerId);
    }

    /**
     * The consumer a single-active-consumer queue serves: the highest priority, and among those the one that joined
     * first; null when there is none.
     */
    Member senior() {
        for (ArrayDeque<Member> ring : byPriority.values()) {
            Member senior = null;
            for (Member member : ring) {
                if (senior == null || member.joined() < senior.joined()) {
                    senior = member;
                }
            }
            return senior;
        }
        return null;
    }

    int size() {
        return byId.size();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    /**
     * The next consumer in turn that obtains credit from the gate, or null when none has any. A
     * lower priority is only tried when every consumer of the higher ones refused.
     */
    Member reserveNext(CreditGate gate) {
        for (ArrayDeque<Member> ring : byPriority.values()) {
            for (int i = ring.size(); i > 0; i--) {
                Member member = ring.pollFirst();
                ring.addLast(member);
                if (gate.tryReserve(member.id())) {
                    return member;
                }
            }
        }
        return null;
    }

    void clear() {
        byPriority.clear();
        byId.clear();
    }
}
