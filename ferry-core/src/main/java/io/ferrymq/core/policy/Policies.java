package io.ferrymq.core.policy;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The policies of every vhost, durable: each change updates the table and writes (or removes) its record in the
 * {@link Persistence}, as users and permissions do. Thread-safe (synchronised on this); the store sees changes in
 * the order the table did. Applying a policy to queues is the broker's business
 * ({@link io.ferrymq.core.LocalBroker#putPolicy}).
 */
public final class Policies {
    /** A policy with its compiled pattern and its store key. */
    private record Entry(Policy policy, Pattern pattern, long key) {
    }

    private final Persistence persistence;
    /** vhost, then name; guarded by this. */
    private final Map<String, Map<String, Entry>> byVhost = new HashMap<>();

    public Policies(Persistence persistence) {
        this.persistence = persistence;
    }

    /** Adds or replaces the policy; completes once durable. */
    public synchronized CompletableFuture<Void> put(Policy policy) {
        Pattern pattern = policy.compiled();
        Map<String, Entry> policies = byVhost.computeIfAbsent(policy.vhost(), v -> new TreeMap<>());
        Entry old = policies.get(policy.name());
        long key = old == null ? persistence.newKey() : old.key();
        policies.put(policy.name(), new Entry(policy, pattern, key));
        return persistence.put(key, BrokerRecords.policy(new BrokerRecords.PolicyRecord(policy.vhost(), policy.name(),
                policy.pattern(), policy.applyTo(), policy.priority(), policy.definition())));
    }

    /** Removes the policy; NOT_FOUND when there is none of that name. */
    public synchronized CompletableFuture<Void> delete(String vhost, String name) {
        Map<String, Entry> policies = byVhost.get(vhost);
        Entry removed = policies == null ? null : policies.remove(name);
        if (removed == null) {
            throw new BrokerException(Condition.NOT_FOUND, "no policy '" + name + "' in vhost '" + vhost + "'");
        }
        return persistence.remove(removed.key());
    }

    /** Removes every policy of a vhost that is being deleted. */
    public synchronized CompletableFuture<Void> clearVhost(String vhost) {
        Map<String, Entry> policies = byVhost.remove(vhost);
        if (policies == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(policies.values().stream().map(e -> persistence.remove(e.key()))
                .toArray(CompletableFuture[]::new));
    }

    public synchronized Policy get(String vhost, String name) {
        Map<String, Entry> policies = byVhost.get(vhost);
        Entry entry = policies == null ? null : policies.get(name);
        return entry == null ? null : entry.policy();
    }

    /** Every policy, by vhost and name; {@code vhost} null: of every vhost. */
    public synchronized List<Policy> list(String vhost) {
        List<Policy> all = new ArrayList<>();
        new TreeMap<>(byVhost).forEach((v, policies) -> {
            if (vhost == null || vhost.equals(v)) {
                policies.values().forEach(entry -> all.add(entry.policy()));
            }
        });
        return all;
    }

    /**
     * The policy that applies to the queue: of those whose pattern finds its name, the one of highest priority
     * (on a tie, the first by name); null when none does.
     */
    public synchronized Policy forQueue(String vhost, String queue) {
        Map<String, Entry> policies = byVhost.get(vhost);
        if (policies == null) {
            return null;
        }
        return policies.values().stream()
                .filter(e -> e.policy().appliesToQueues() && e.pattern().matcher(queue).find())
                .max(Comparator.comparingInt((Entry e) -> e.policy().priority())
                        .thenComparing(e -> e.policy().name(), Comparator.reverseOrder()))
                .map(Entry::policy).orElse(null);
    }

    /** Rebuilds a policy from its record at start, without writing it again. */
    public synchronized void restore(long key, ByteBuffer record) {
        BrokerRecords.PolicyRecord r = BrokerRecords.readPolicy(record);
        Policy policy = new Policy(r.vhost(), r.name(), r.pattern(), r.applyTo(), r.priority(), r.definition());
        byVhost.computeIfAbsent(r.vhost(), v -> new TreeMap<>()).put(r.name(), new Entry(policy, policy.compiled(),
                key));
    }
}
