package io.ferrymq.core.vhost;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.queue.QueueContext;
import io.ferrymq.core.queue.QueueType;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's virtual hosts and what was said about them, durable: each has a vhost record in the
 * {@link Persistence}. Lookups are lock-free; changes are serialised on this object so that the store sees them
 * in the order the map did. Futures complete once the change is durable, possibly on a store thread.
 */
public final class VirtualHosts {
    private final QueueContext queueContext;
    private final Map<String, QueueType> queueTypes;
    private final Names names;
    private final Persistence persistence;
    private final Map<String, VirtualHost> hosts = new ConcurrentHashMap<>();
    private final Map<String, VirtualHostInfo> infos = new ConcurrentHashMap<>();
    /** Store keys by vhost name; guarded by this. */
    private final Map<String, Long> keys = new HashMap<>();

    public VirtualHosts(QueueContext queueContext, Map<String, QueueType> queueTypes, Names names) {
        this.queueContext = queueContext;
        this.queueTypes = queueTypes;
        this.names = names;
        this.persistence = queueContext.persistence();
    }

    /** Creates the vhost, or updates its description and tags when it exists. */
    public synchronized CompletableFuture<Void> put(VirtualHostInfo info) {
        if (info.name().isEmpty()) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "a vhost needs a name");
        }
        Names.checkLength("vhost", info.name());
        hosts.computeIfAbsent(info.name(), this::create);
        infos.put(info.name(), info);
        long key = keys.computeIfAbsent(info.name(), name -> persistence.newKey());
        return persistence.put(key, BrokerRecords.vhost(new BrokerRecords.VhostRecord(info.name(),
                info.description(), info.tags())));
    }

    /** Forgets the vhost and its record; the caller has emptied it. NOT_FOUND when there is none. */
    public synchronized CompletableFuture<Void> remove(String name) {
        if (hosts.remove(name) == null) {
            throw notFound(name);
        }
        infos.remove(name);
        Long key = keys.remove(name);
        return key == null ? CompletableFuture.completedFuture(null) : persistence.remove(key);
    }

    /** The vhost, or null. */
    public VirtualHost find(String name) {
        return hosts.get(name);
    }

    /** The vhost, or NOT_FOUND. */
    public VirtualHost get(String name) {
        VirtualHost host = hosts.get(name);
        if (host == null) {
            throw notFound(name);
        }
        return host;
    }

    public Collection<VirtualHost> all() {
        return List.copyOf(hosts.values());
    }

    /** Every vhost's description, by name. */
    public List<VirtualHostInfo> infos() {
        return infos.values().stream().sorted(Comparator.comparing(VirtualHostInfo::name)).toList();
    }

    public boolean isEmpty() {
        return hosts.isEmpty();
    }

    /**
     * Makes a vhost in memory only, without a record: recovery meets it named by a stored object of a store
     * written before vhosts were stored, and {@link #put}s it once the store is open.
     */
    public synchronized VirtualHost adopt(String name) {
        infos.putIfAbsent(name, new VirtualHostInfo(name, "", List.of()));
        return hosts.computeIfAbsent(name, this::create);
    }

    /** Rebuilds a vhost from its record at start, without writing it again. */
    public synchronized void restore(long key, ByteBuffer record) {
        BrokerRecords.VhostRecord r = BrokerRecords.readVhost(record);
        hosts.computeIfAbsent(r.name(), this::create);
        infos.put(r.name(), new VirtualHostInfo(r.name(), r.description(), r.tags()));
        keys.put(r.name(), key);
    }

    private VirtualHost create(String name) {
        return new VirtualHost(name, queueContext, queueTypes, names);
    }

    private static BrokerException notFound(String name) {
        return new BrokerException(Condition.NOT_FOUND, "no vhost '" + name + "'");
    }
}
