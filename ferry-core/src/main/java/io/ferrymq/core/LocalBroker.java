package io.ferrymq.core;

import io.ferrymq.common.Clock;
import io.ferrymq.core.alarm.Alarms;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.auth.Access;
import io.ferrymq.core.auth.AccessControl;
import io.ferrymq.core.auth.Resource;
import io.ferrymq.core.deadletter.Redrive;
import io.ferrymq.core.policy.Policies;
import io.ferrymq.core.policy.Policy;
import io.ferrymq.core.trace.Tracer;
import io.ferrymq.core.auth.Permission;
import io.ferrymq.core.auth.User;
import io.ferrymq.core.exchange.Binding;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.queue.ClassicQueueType;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueContext;
import io.ferrymq.core.queue.QueueHost;
import io.ferrymq.core.queue.QueueSettings;
import io.ferrymq.core.queue.QueueType;
import io.ferrymq.core.queue.QuorumQueueType;
import io.ferrymq.core.session.DirectReplyTo;
import io.ferrymq.core.session.LocalConnection;
import io.ferrymq.core.session.SessionServices;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.timer.ClockScheduler;
import io.ferrymq.core.timer.Scheduler;
import io.ferrymq.core.stats.StoreStats;
import io.ferrymq.core.vhost.Names;
import io.ferrymq.core.vhost.VirtualHost;
import io.ferrymq.core.vhost.VirtualHostInfo;
import io.ferrymq.core.vhost.VirtualHosts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker in one JVM: users, virtual hosts, connections, the resource alarms and counters; messages
 * in memory, and durable topology and persistent messages also in a {@link Persistence} (see
 * docs/design/storage.md). Thread-safe. Work runs on the callers' threads (see {@link
 * io.ferrymq.core.queue.ClassicQueue} for the locking).
 */
public final class LocalBroker implements Broker, BrokerView, BrokerAdmin {
    public static final String DEFAULT_VHOST = "/";
    private static final String ALL = ".*";

    private final AccessControl access;
    private final Policies policies;
    private final Tracer tracer;
    private final BrokerStats stats = new BrokerStats();
    private final Names names = new Names();
    private final Alarms alarms = new Alarms();
    private final MemoryMonitor memory;
    private final Persistence persistence;
    /** Closed at shutdown when this broker made it. */
    private final ClockScheduler ownScheduler;
    private final QueueContext queueContext;
    private final SessionServices services;
    private final Map<String, QueueType> queueTypes;
    private final VirtualHosts vhosts;
    private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connection and consumer ids: unique, never 0 (0 means "no owner" and "basic.get"). */
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean shutdown;

    /** A broker with everything in memory. */
    public LocalBroker(BrokerConfig config, Clock clock) {
        this(config, clock, Persistence.NONE);
    }

    /**
     * A broker whose durable topology and persistent messages go to {@code persistence}, which is opened here: what
     * it held is rebuilt, topology first, then each durable queue's messages in their order, as redelivered, their
     * bodies left in the store until delivered. The caller keeps owning {@code persistence} (closes it after
     * {@link #shutdown()}).
     *
     * @throws java.io.UncheckedIOException or {@link io.ferrymq.store.StoreException} when the store cannot be
     *                                      opened
     */
    public LocalBroker(BrokerConfig config, Clock clock, Persistence persistence) {
        this(config, clock, persistence, null);
    }

    /**
     * A broker whose timed work runs on {@code scheduler} (tests pass a {@link ClockScheduler#manual} one and run it
     * by hand); null: its own {@link ClockScheduler#threaded} scheduler, stopped at {@link #shutdown()}.
     */
    public LocalBroker(BrokerConfig config, Clock clock, Persistence persistence, Scheduler scheduler) {
        this.memory = new MemoryMonitor(config.memoryHighWatermarkBytes(), alarms);
        this.persistence = persistence;
        this.ownScheduler = scheduler == null ? ClockScheduler.threaded(clock) : null;
        Scheduler timers = scheduler == null ? ownScheduler : scheduler;
        this.tracer = new Tracer(clock);
        this.policies = new Policies(persistence);
        this.queueContext = new QueueContext(clock, memory, stats, persistence, timers, QueueHost.NONE,
                config.queueResidentBytes(), tracer, policies);
        this.access = new AccessControl(persistence);
        this.services = new SessionServices(stats, names, config.maxMessageSizeBytes(), ids::incrementAndGet,
                new DirectReplyTo(), clock, timers, config.consumerTimeoutMillis(), access.permissions());
        QueueType classic = new ClassicQueueType();
        QueueType quorum = new QuorumQueueType();
        this.queueTypes = Map.of(classic.name(), classic, quorum.name(), quorum);
        this.vhosts = new VirtualHosts(queueContext, queueTypes, names);
        Recovery.run(this, persistence);
        if (access.hasNoUsers()) {
            createDefaults(config);
        }
    }

    /**
     * A fresh node (no user stored) gets what RabbitMQ creates at first start: the vhost {@code /} and the default
     * user, administrator, with every permission there. Later starts keep what operators changed, so the
     * configured default user and password only matter the first time.
     */
    private void createDefaults(BrokerConfig config) {
        addVirtualHost(DEFAULT_VHOST);
        access.putUser(config.defaultUser(), config.defaultPassword(), Set.of(User.ADMINISTRATOR));
        access.setPermission(new Permission(config.defaultUser(), DEFAULT_VHOST, ALL, ALL, ALL));
    }

    /** The resource alarms; monitors outside the core (the disk's) raise theirs here. */
    public Alarms alarms() {
        return alarms;
    }

    public Persistence persistence() {
        return persistence;
    }

    @Override
    public void authenticate(String username, String password, boolean fromLoopback) {
        access.users().authenticate(username, password, fromLoopback);
    }

    @Override
    public BrokerConnection connect(ConnectionInfo info, String vhost) {
        if (shutdown) {
            throw new BrokerException(Condition.CONNECTION_FORCED, "the broker is shutting down: reconnect later");
        }
        VirtualHost host = vhosts.find(vhost);
        if (host == null) {
            throw new BrokerException(Condition.NOT_ALLOWED, "vhost '" + vhost + "' not found: connect to an "
                    + "existing virtual host such as '" + DEFAULT_VHOST + "'");
        }
        access.permissions().checkVhost(info.user(), vhost);
        return register(new LocalConnection(ids.incrementAndGet(), info, host, services, connections::remove));
    }

    @Override
    public BrokerConnection connectTrusted(ConnectionInfo info, String vhost) {
        if (shutdown) {
            throw new BrokerException(Condition.CONNECTION_FORCED, "the broker is shutting down: reconnect later");
        }
        return register(new LocalConnection(ids.incrementAndGet(), info, vhosts.get(vhost), services.trusted(),
                connections::remove));
    }

    @Override
    public void closeConnection(String id, String reason) {
        for (LocalConnection connection : List.copyOf(connections)) {
            if (connection.info().id().equals(id)) {
                connection.forceClose(reason);
                return;
            }
        }
        throw new BrokerException(Condition.NOT_FOUND, "no connection '" + id + "'");
    }

    private LocalConnection register(LocalConnection connection) {
        connections.add(connection);
        return connection;
    }

    @Override
    public void addAlarmListener(AlarmListener listener) {
        alarms.addListener(listener);
    }

    @Override
    public void removeAlarmListener(AlarmListener listener) {
        alarms.removeListener(listener);
    }

    /** Closes every connection; consumers' sinks are told the broker is shutting down. */
    @Override
    public void shutdown() {
        shutdown = true;
        for (LocalConnection connection : List.copyOf(connections)) {
            connection.terminate("the broker is shutting down");
        }
        if (ownScheduler != null) {
            ownScheduler.close();
        }
        tracer.close();
    }

    /** Creates a virtual host with the predeclared exchanges (durably, no description); no-op when it exists. */
    public void addVirtualHost(String name) {
        if (vhosts.find(name) == null) {
            vhosts.put(new VirtualHostInfo(name, "", List.of()));
        }
    }

    /** The virtual host, or NOT_FOUND. */
    public VirtualHost virtualHost(String name) {
        return vhosts.get(name);
    }

    /** The registry itself, for recovery. */
    VirtualHosts vhosts() {
        return vhosts;
    }

    // ---- BrokerAdmin

    @Override
    public AccessControl access() {
        return access;
    }

    @Override
    public Policies policies() {
        return policies;
    }

    @Override
    public CompletableFuture<Void> putPolicy(Policy policy) {
        VirtualHost host = vhosts.get(policy.vhost());
        CompletableFuture<Void> written = policies.put(policy);
        host.applyPolicies();
        return written;
    }

    @Override
    public CompletableFuture<Void> deletePolicy(String vhost, String name) {
        VirtualHost host = vhosts.get(vhost);
        CompletableFuture<Void> written = policies.delete(vhost, name);
        host.applyPolicies();
        return written;
    }

    @Override
    public Tracer tracer() {
        return tracer;
    }

    @Override
    public CompletableFuture<Redrive.Result> redrive(String user, String vhost, String queue,
                                                     Redrive.Request request) {
        Redrive.check(request);
        VirtualHost host = vhosts.get(vhost);
        Queue source = host.queue(queue);
        access.permissions().check(user, Resource.queue(vhost, queue), Access.READ);
        access.permissions().check(user, Resource.exchange(vhost, request.exchange() == null ? ""
                : request.exchange()), Access.WRITE);
        if (request.exchange() != null) {
            host.exchangeForPublish(request.exchange());
        }
        // it waits for the store: off the caller's (an event loop's) thread
        return CompletableFuture.supplyAsync(() -> Redrive.run(host, source, request));
    }

    @Override
    public List<VirtualHostInfo> virtualHostInfos() {
        return vhosts.infos();
    }

    @Override
    public CompletableFuture<Void> putVirtualHost(VirtualHostInfo info) {
        return vhosts.put(info);
    }

    @Override
    public CompletableFuture<Void> deleteVirtualHost(String name) {
        VirtualHost host = vhosts.get(name);
        for (LocalConnection connection : List.copyOf(connections)) {
            if (connection.vhost().equals(name)) {
                connection.forceClose("vhost '" + name + "' is deleted");
            }
        }
        for (Queue queue : host.queues()) {
            host.deleteQueue(queue, false, false);
        }
        for (Exchange exchange : host.exchanges()) {
            if (!exchange.isDefault() && !exchange.name().startsWith(Names.RESERVED_PREFIX)) {
                host.deleteExchange(exchange.name(), false);
            }
        }
        tracer.forgetVhost(name);
        return CompletableFuture.allOf(host.topologyBarrier(), access.clearVhost(name), policies.clearVhost(name),
                vhosts.remove(name));
    }

    // ---- BrokerView

    @Override
    public List<String> virtualHosts() {
        return vhosts.infos().stream().map(VirtualHostInfo::name).toList();
    }

    @Override
    public List<QueueSnapshot> queues() {
        List<QueueSnapshot> all = new ArrayList<>();
        for (VirtualHost host : vhosts.all()) {
            for (Queue queue : host.queues()) {
                QueueSettings s = queue.settings();
                Policy policy = queue.policy();
                all.add(new QueueSnapshot(s.vhost(), s.name(), s.type(), s.durable(), s.exclusive(), s.autoDelete(),
                        s.arguments(), queue.readyCount(), queue.unackedCount(), queue.consumerCount(),
                        policy == null ? null : policy.name(), policy == null ? Map.of() : policy.definition(),
                        queue.publishedTotal(), queue.deliveredTotal(), queue.ackedTotal()));
            }
        }
        return all;
    }

    @Override
    public List<ExchangeSnapshot> exchanges() {
        List<ExchangeSnapshot> all = new ArrayList<>();
        for (VirtualHost host : vhosts.all()) {
            for (Exchange x : host.exchanges()) {
                all.add(new ExchangeSnapshot(x.vhost(), x.name(), x.typeName(), x.durable(), x.autoDelete(),
                        x.internal(), x.arguments(), x.delayed() == null ? -1 : x.delayed().pendingCount()));
            }
        }
        return all;
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public List<ConnectionSnapshot> connections() {
        List<ConnectionSnapshot> all = new ArrayList<>();
        for (LocalConnection connection : connections) {
            ConnectionInfo info = connection.info();
            all.add(new ConnectionSnapshot(info.id(), info.user(), connection.vhost(), info.remoteAddress(),
                    info.protocol(), connection.sessionCount(), info.clientProperties()));
        }
        return all;
    }

    @Override
    public List<ChannelSnapshot> channels() {
        List<ChannelSnapshot> all = new ArrayList<>();
        for (LocalConnection connection : connections) {
            connection.sessions().forEach(session -> all.add(session.snapshot()));
        }
        return all;
    }

    @Override
    public List<ConsumerSnapshot> consumers() {
        List<ConsumerSnapshot> all = new ArrayList<>();
        for (LocalConnection connection : connections) {
            connection.sessions().forEach(session -> all.addAll(session.consumerSnapshots()));
        }
        return all;
    }

    @Override
    public List<BindingSnapshot> bindings() {
        List<BindingSnapshot> all = new ArrayList<>();
        for (VirtualHost host : vhosts.all()) {
            for (Binding b : host.bindings()) {
                boolean toQueue = b.destination() instanceof Destination.ToQueue;
                String destination = b.destination() instanceof Destination.ToQueue q ? q.queue().name()
                        : ((Destination.ToExchange) b.destination()).exchange().name();
                all.add(new BindingSnapshot(host.name(), b.source().name(), destination,
                        toQueue ? "queue" : "exchange", b.routingKey(), b.arguments()));
            }
        }
        return all;
    }

    @Override
    public BrokerStats.Snapshot stats() {
        return stats.snapshot();
    }

    @Override
    public StoreStats storeStats() {
        return persistence.stats();
    }

    @Override
    public long memoryUsedBytes() {
        return memory.usedBytes();
    }

    @Override
    public long memoryLimitBytes() {
        return memory.limitBytes();
    }

    @Override
    public boolean memoryAlarm() {
        return memory.alarmOn();
    }

    @Override
    public boolean diskAlarm() {
        return alarms.isOn(Alarms.Resource.DISK);
    }
}
