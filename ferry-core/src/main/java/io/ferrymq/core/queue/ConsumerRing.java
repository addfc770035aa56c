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
    /** A consumer as the machine knows it. */
    record Member(long id, int priority, boolean noAck) {
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
