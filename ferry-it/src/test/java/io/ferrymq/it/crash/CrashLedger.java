package io.ferrymq.it.crash;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static io.ferrymq.it.crash.CrashMessage.PUBLISHERS;
import static io.ferrymq.it.crash.CrashMessage.queueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the clients of the crash test know about every message, across all rounds, and the check of a restarted
 * broker against it. Publisher and consumer threads record events; problems they see are collected as
 * {@link #violations()} for the test thread to assert, since an assertion on a client thread would go unnoticed.
 *
 * <p>What may be asserted follows the broker's promises: a message is owed once a publisher confirm arrived (G1);
 * an acknowledgement is durable only once a later synchronous reply on its channel arrived (G1b), here the
 * consumer's {@code basic.qos-ok}. An ack without such a reply, and a publish without a confirm, may or may not
 * have survived the kill; the restart decides, and from then on the outcome is fixed.
 */
final class CrashLedger {
    private final AtomicLong[] nextSeq = new AtomicLong[PUBLISHERS];
    /** Published, not confirmed yet: after a kill, may or may not be there. */
    private final Set<CrashMessage> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Owed: confirmed, or found after a restart. There until acknowledged. */
    private final Set<CrashMessage> owed = ConcurrentHashMap.newKeySet();
    /** Acknowledged with no synchronous reply since: after a kill, may or may not come back. */
    private final Set<CrashMessage> ackPending = ConcurrentHashMap.newKeySet();
    /** Acknowledged for good: must never come back. */
    private final Set<CrashMessage> acked = ConcurrentHashMap.newKeySet();
    /** Never confirmed, and not there after a restart: must never turn up later. */
    private final Set<CrashMessage> lost = ConcurrentHashMap.newKeySet();
    /** Delivered at least once: a second delivery must say redelivered. */
    private final Set<CrashMessage> delivered = ConcurrentHashMap.newKeySet();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicLong confirms = new AtomicLong();
    private final AtomicLong durableAcks = new AtomicLong();

    CrashLedger() {
        for (int p = 0; p < PUBLISHERS; p++) {
            nextSeq[p] = new AtomicLong();
        }
    }

    /** A publisher is about to send its next message. */
    CrashMessage publishing(int publisher) {
        CrashMessage message = new CrashMessage(publisher, nextSeq[publisher].incrementAndGet());
        unconfirmed.add(message);
        return message;
    }

    void confirmed(CrashMessage message) {
        owed.add(message);
        unconfirmed.remove(message);
        confirms.incrementAndGet();
    }

    /** A consumer got {@code message}; checks it is not one that must stay gone. */
    void delivered(CrashMessage message, boolean redelivered) {
        if (acked.contains(message)) {
            violation(message + " was delivered again after its acknowledgement was made durable");
        }
        if (lost.contains(message)) {
            violation(message + " was delivered although a restart had shown it lost");
        }
        if (!delivered.add(message) && !redelivered) {
            violation(message + " was delivered a second time without redelivered=true");
        }
    }

    /** A consumer is about to acknowledge {@code message}. */
    void acking(CrashMessage message) {
        ackPending.add(message);
    }

    /** A synchronous reply arrived on the channel that acknowledged {@code messages}. */
    void acksDurable(Collection<CrashMessage> messages) {
        acked.addAll(messages);
        ackPending.removeAll(messages);
        durableAcks.addAndGet(messages.size());
    }

    void violation(String what) {
        violations.add(what);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long confirms() {
        return confirms.get();
    }

    long durableAcks() {
        return durableAcks.get();
    }

    /**
     * Checks what a restarted broker holds, before any client changed it, then settles what the kill left open.
     *
     * @param queues every queue's messages in queue order, each as a consumer received it
     * @return what the broker held, and how the kill's open questions were answered
     */
    Outcome checkRecovered(String when, Map<Integer, List<Received>> queues) {
        Set<CrashMessage> present = new HashSet<>();
        queues.forEach((queue, received) -> {
            long[] last = new long[PUBLISHERS];
            for (Received r : received) {
                CrashMessage message = decode(when, queue, r.body());
                assertThat(message.queue()).as("%s: %s found in %s", when, message, queueName(queue))
                        .isEqualTo(queue);
                assertThat(present.add(message)).as("%s: %s is held only once", when, message).isTrue();
                assertThat(message.seq()).as("%s: publisher %d's order in %s", when, message.publisher(),
                        queueName(queue)).isGreaterThan(last[message.publisher()]);
                last[message.publisher()] = message.seq();
                if (delivered.contains(message)) {
                    assertThat(r.redelivered()).as("%s: %s, delivered before, is marked redelivered", when, message)
                            .isTrue();
                }
                assertThat(message.seq()).as("%s: %s was published", when, message)
                        .isLessThanOrEqualTo(nextSeq[message.publisher()].get());
            }
        });
        delivered.addAll(present); // the snapshot delivered them
        assertThat(sample(owed.stream().filter(m -> !present.contains(m) && !acked.contains(m)
                && !ackPending.contains(m)).toList()))
                .as("%s: confirmed, unacknowledged messages that did not survive", when).isEmpty();
        assertThat(sample(present.stream().filter(acked::contains).toList()))
                .as("%s: messages whose acknowledgement was made durable came back", when).isEmpty();
        assertThat(sample(present.stream().filter(lost::contains).toList()))
                .as("%s: messages missing after an earlier restart came back", when).isEmpty();

        int acksKept = 0;
        for (CrashMessage message : ackPending) {
            if (!present.contains(message)) {
                acked.add(message);
                acksKept++;
            }
        }
        int acksUndone = ackPending.size() - acksKept;
        ackPending.clear();
        int publishesKept = 0;
        for (CrashMessage message : unconfirmed) {
            if (present.contains(message)) {
                owed.add(message);
                publishesKept++;
            } else {
                lost.add(message);
            }
        }
        int publishesLost = unconfirmed.size() - publishesKept;
        unconfirmed.clear();
        return new Outcome(present.size(), publishesKept, publishesLost, acksKept, acksUndone);
    }

    private static CrashMessage decode(String when, int queue, byte[] body) {
        try {
            return CrashMessage.decode(body);
        } catch (IllegalArgumentException corrupt) {
            return fail("%s: a message in %s is not what was published: %s", when, queueName(queue),
                    corrupt.getMessage());
        }
    }

    /** Enough of a failing set to diagnose, in a stable order. */
    private static List<CrashMessage> sample(List<CrashMessage> messages) {
        return messages.stream().sorted(Comparator.comparingInt(CrashMessage::publisher)
                .thenComparingLong(CrashMessage::seq)).limit(20).toList();
    }

    /**
     * What a restarted broker held, and what became of the publishes without a confirm and the acks without a
     * later reply at the kill (kept or not: either is correct).
     */
    record Outcome(int held, int unconfirmedKept, int unconfirmedLost, int pendingAcksKept, int pendingAcksUndone) {
    }

    /** A message as a consumer received it. */
    record Received(byte[] body, boolean redelivered) {
    }
}
