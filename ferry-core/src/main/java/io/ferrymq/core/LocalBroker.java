package io.ferrymq.core;

import io.ferrymq.common.Clock;
import io.ferrymq.core.alarm.Alarms;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.auth.UserStore;
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
import io.ferrymq.core.vhost.Names;
import io.ferrymq.core.vhost.VirtualHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker in one JVM: users, virtual hosts, connections, the resource alarms and counters; messages
 * in memory, and durable topology and persistent messages also in a {@link Persistence} (see
 * docs/design/storage.md). Thread-safe. Work runs on the callers' threads (see {@link
 * io.ferrymq.core.queue.ClassicQueue} for the locking).
 */
public final class LocalBroker implements Broker, BrokerView {
    public static final String DEFAULT_VHOST = "/";

    private final UserStore users = new UserStore();
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
    private final Map<String, VirtualHost> vhosts = new ConcurrentHashMap<>();
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
        this.queueContext = new QueueContext(clock, memory, stats, persistence, timers, QueueHost.NONE,
                config.queueResidentBytes());
        this.services = new SessionServices(stats, names, config.maxMessageSizeBytes(), ids::incrementAndGet,
                new DirectReplyTo(), clock, timers, config.consumerTimeoutMillis());
        QueueType classic = new ClassicQueueType();
        QueueType quorum = new QuorumQueueType();
        this.queueTypes = Map.of(classic.name(), classic, quorum.name(), quorum);
        users.put(config.defaultUser(), config.defaultPassword());
        addVirtualHost(DEFAULT_VHOST);
        Recovery.run(this, persistence);
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
        users.authenticate(username, password, fromLoopback);
    }

    @Override
    public BrokerConnection connect(ConnectionInfo info, String vhost) {
        if (shutdown) {
            throw new BrokerException(Condition.CONNECTION_FORCED, "the broker is shutting down: reconnect later");
        }
        VirtualHost host = vhosts.get(vhost);
        if (host == null) {
            throw new BrokerException(Condition.NOT_ALLOWED, "vhost '" + vhost + "' not found: connect to an "
                    + "existing virtual host such as '" + DEFAULT_VHOST + "'");
        }
        LocalConnection connection = new LocalConnection(ids.incrementAndGet(), info, host, services,
                connections::remove);
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
    }

    /** Creates a virtual host with the predeclared exchanges; no-op when it exists. */
    public void addVirtualHost(String name) {
        vhosts.computeIfAbsent(name, n -> new VirtualHost(n, queueContext, queueTypes, names));
    }

    /** The virtual host, or NOT_FOUND. */
    public VirtualHost virtualHost(String name) {
        VirtualHost host = vhosts.get(name);
        if (host == null) {
            throw new BrokerException(Condition.NOT_FOUND, "no vhost '" + name + "'");
        }
        return host;
    }

    public UserStore users() {
        return users;
    }

    // ---- BrokerView

    @Override
    public List<String> virtualHosts() {
        return List.copyOf(vhosts.keySet());
    }

    @Override
    public List<QueueSnapshot> queues() {
        List<QueueSnapshot> all = new ArrayList<>();
        for (VirtualHost host : vhosts.values()) {
            for (Queue queue : host.queues()) {
                QueueSettings s = queue.settings();
                all.add(new QueueSnapshot(s.vhost(), s.name(), s.type(), s.durable(), s.exclusive(), s.autoDelete(),
                        s.arguments(), queue.readyCount(), queue.unackedCount(), queue.consumerCount()));
            }
        }
        return all;
    }

    @Override
    public List<ExchangeSnapshot> exchanges() {
        List<ExchangeSnapshot> all = new ArrayList<>();
        for (VirtualHost host : vhosts.values()) {
            for (Exchange x : host.exchanges()) {
                all.add(new ExchangeSnapshot(x.vhost(), x.name(), x.type().wireName(), x.durable(), x.autoDelete(),
                        x.internal(), x.arguments()));
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
                    info.protocol(), connection.sessionCount()));
        }
        return all;
    }

    @Override
    public BrokerStats.Snapshot stats() {
        return stats.snapshot();
    }

    @Override
    public long memoryUsedBytes() {
        return memory.usedBytes();
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
