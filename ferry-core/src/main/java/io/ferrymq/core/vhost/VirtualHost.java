package io.ferrymq.core.vhost;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.Message;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.deadletter.DeadLetterer;
import io.ferrymq.core.dedup.DedupSettings;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.exchange.Binding;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.delay.DelayHeader;
import io.ferrymq.core.delay.DelayedMessages;
import io.ferrymq.core.delay.DelayedType;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.exchange.ExchangeType;
import io.ferrymq.core.exchange.FieldEquality;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.queue.ClassicQueueType;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.OrderingArguments;
import io.ferrymq.core.queue.QueueArguments;
import io.ferrymq.core.queue.QueueContext;
import io.ferrymq.core.queue.QueueHost;
import io.ferrymq.core.queue.QueueSettings;
import io.ferrymq.core.queue.QueueType;
import io.ferrymq.core.policy.Policy;
import io.ferrymq.core.trace.Tracer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One virtual host: its exchanges, queues and bindings, and routing through them. Thread-safe:
 * the topology (exchanges, queues, bindings) is guarded by {@link #topology}; declarations and
 * bindings take its write lock, routing takes its read lock and only collects target queues.
 * Queue locks are never taken while the topology lock is held, except by {@link Queue#isDeleted}
 * and counters, which take none.
 *
 * <p>Durable exchanges, durable non-exclusive queues and the bindings between stored (or predeclared) objects are
 * written to the {@link Persistence} under the topology write lock, so the store sees them in the order they
 * happened; {@link #topologyBarrier()} completes once every such write so far is durable.
 */
public final class VirtualHost {
    /** RabbitMQ's third queue type, named so that its declaration gets a clear refusal rather than "unknown". */
    private static final String STREAM = "stream";
    private static final Set<String> PREDECLARED = Set.of("amq.direct", "amq.fanout", "amq.topic", "amq.headers",
            "amq.match");

    private final String name;
    private final QueueContext queueContext;
    private final Map<String, QueueType> queueTypes;
    private final Names names;
    private final ReentrantReadWriteLock topology = new ReentrantReadWriteLock();
    private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    /** Bindings by destination, so deleting a queue or exchange finds the bindings that lead to it. */
    private final Map<Destination, Set<Binding>> inbound = new HashMap<>();
    private final Exchange defaultExchange;
    private final Persistence persistence;
    /** Store keys of stored exchanges and bindings (queues keep theirs); under the write lock. */
    private final Map<Exchange, Long> exchangeKeys = new IdentityHashMap<>();
    private final Map<Binding, Long> bindingKeys = new HashMap<>();
    private volatile CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

    public VirtualHost(String name, QueueContext queueContext, Map<String, QueueType> queueTypes, Names names) {
        this.name = name;
        DeadLetterer deadLetterer = new DeadLetterer(exchanges::get, this::route, queueContext.clock(),
                queueContext.stats());
        this.queueContext = queueContext.withHost(new QueueHost() {
            @Override
            public void deadLetter(QueueSettings queue, QueueArguments arguments, Message message, String reason) {
                deadLetterer.deadLetter(queue, arguments, message, reason);
            }

            @Override
            public void expired(Queue queue) {
                deleteQueue(queue, false, false);
            }
        });
        this.queueTypes = Map.copyOf(queueTypes);
        this.names = names;
        this.persistence = queueContext.persistence();
        this.defaultExchange = new Exchange(name, "", ExchangeType.DIRECT, true, false, false, Map.of(), null,
                new DefaultExchangeBindings(queues), null);
        exchanges.put("", defaultExchange);
        predeclare("amq.direct", ExchangeType.DIRECT);
        predeclare("amq.fanout", ExchangeType.FANOUT);
        predeclare("amq.topic", ExchangeType.TOPIC);
        predeclare("amq.headers", ExchangeType.HEADERS);
        predeclare("amq.match", ExchangeType.HEADERS);
    }

    private void predeclare(String exchange, ExchangeType type) {
        exchanges.put(exchange, new Exchange(name, exchange, type, true, false, false, Map.of(), null,
                type.newBindings(), null));
    }

    public String name() {
        return name;
    }

    // ---- exchanges

    public Exchange declareExchange(ExchangeDeclaration declaration) {
        String exchange = declaration.name();
        Names.checkLength("exchange", exchange);
        if (declaration.passive()) {
            return exchange(exchange);
        }
        Map<String, Object> arguments = declaration.arguments() == null ? Map.of() : declaration.arguments();
        boolean delayed = DelayedType.isDelayed(declaration.type());
        ExchangeType type = delayed
                ? DelayedType.routingType(arguments, "exchange '" + exchange + "' in vhost '" + name + "'")
                : ExchangeType.byName(declaration.type()).orElseThrow(() -> new BrokerException(
                        Condition.COMMAND_INVALID, "invalid exchange type '" + declaration.type() + "' for exchange '"
                        + exchange + "' in vhost '" + name + "': use direct, fanout, topic, headers or "
                        + DelayedType.NAME));
        if (exchange.isEmpty()) {
            throw defaultExchangeRefused();
        }
        String alternate = alternateExchange(declaration);
        DedupSettings dedup = DedupSettings.parse(arguments, "exchange '" + exchange + "' in vhost '" + name + "'");
        topology.writeLock().lock();
        try {
            Exchange existing = exchanges.get(exchange);
            if (existing != null) {
                Equivalence.exchange(existing, type, delayed, declaration, alternate);
                return existing;
            }
            Names.checkNotReserved("exchange", exchange, name);
            Exchange created = new Exchange(name, exchange, type, declaration.durable(), declaration.autoDelete(),
                    declaration.internal(), declaration.arguments(), alternate, type.newBindings(),
                    dedup == null ? null : new Deduplicator(dedup, persistence),
                    delayed ? new DelayedMessages(name, exchange, queueContext, this::route) : null);
            exchanges.put(exchange, created);
            if (created.durable() && persistence.durable()) {
                long key = persistence.newKey();
                exchangeKeys.put(created, key);
                if (created.deduplicator() != null) {
                    created.deduplicator().storeAs(key);
                }
                if (created.delayed() != null) {
                    created.delayed().storeAs(key);
                }
                write(persistence.put(key, BrokerRecords.exchange(new BrokerRecords.ExchangeRecord(name, exchange,
                        created.typeName(), true, created.autoDelete(), created.internal(), created.arguments()))));
            }
            if (created.delayed() != null) {
                created.delayed().start(created);
            }
            return created;
        } finally {
            topology.writeLock().unlock();
        }
    }

    private String alternateExchange(ExchangeDeclaration declaration) {
        Object value = declaration.arguments() == null ? null : declaration.arguments().get("alternate-exchange");
        if (value == null) {
            return null;
        }
        return FieldValues.asString(value).orElseThrow(() -> new BrokerException(Condition.PRECONDITION_FAILED,
                "invalid arg 'alternate-exchange' for exchange '" + declaration.name() + "' in vhost '" + name
                        + "': it must be a string naming an exchange, not " + value.getClass().getSimpleName()));
    }

    /** Deletes an exchange and every binding from and to it; a missing exchange is no error (RabbitMQ). */
    public void deleteExchange(String exchange, boolean ifUnused) {
        if (exchange.isEmpty()) {
            throw defaultExchangeRefused();
        }
        if (exchange.startsWith(Names.RESERVED_PREFIX)) {
            throw new BrokerException(Condition.ACCESS_REFUSED, "exchange '" + exchange + "' in vhost '" + name
                    + "' is a system exchange (reserved prefix 'amq.*') and cannot be deleted");
        }
        topology.writeLock().lock();
        try {
            Exchange existing = exchanges.get(exchange);
            if (existing == null) {
                return;
            }
            if (ifUnused && !existing.bindings().isEmpty()) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, existing.describe()
                        + " in use: it has bindings and if-unused was set; unbind them first");
            }
            removeExchange(existing);
        } finally {
            topology.writeLock().unlock();
        }
    }

    /** The exchange, or NOT_FOUND. */
    public Exchange exchange(String exchange) {
        Exchange found = exchanges.get(exchange);
        if (found == null) {
            throw new BrokerException(Condition.NOT_FOUND, "no exchange '" + exchange + "' in vhost '" + name + "'");
        }
        return found;
    }

    /** The exchange a client publishes to: NOT_FOUND when missing, ACCESS_REFUSED when internal. */
    public Exchange exchangeForPublish(String exchange) {
        Exchange found = exchange(exchange);
        if (found.internal()) {
            throw new BrokerException(Condition.ACCESS_REFUSED, "cannot publish to internal " + found.describe()
                    + ": publish to an exchange bound to it instead");
        }
        return found;
    }

    // ---- bindings

    /** Binds a queue ({@link Destination.ToQueue}) or an exchange to a source exchange; idempotent. */
    public void bind(Destination destination, String source, String routingKey, Map<String, Object> arguments) {
        topology.writeLock().lock();
        try {
            Exchange from = bindable(source);
            requireLive(destination);
            Binding binding = new Binding(from, destination, routingKey, arguments);
            if (from.bindings().add(binding)) {
                inbound.computeIfAbsent(destination, d -> new LinkedHashSet<>()).add(binding);
                storeBinding(binding);
            }
        } finally {
            topology.writeLock().unlock();
        }
    }

    /** Removes a binding; a missing binding is no error, a missing exchange is NOT_FOUND. */
    public void unbind(Destination destination, String source, String routingKey, Map<String, Object> arguments) {
        topology.writeLock().lock();
        try {
            Exchange from = bindable(source);
            requireLive(destination);
            Binding binding = new Binding(from, destination, routingKey, arguments);
            if (from.bindings().remove(binding)) {
                forgetInbound(binding);
                autoDeleteIfUnused(from);
            }
        } finally {
            topology.writeLock().unlock();
        }
    }

    /** An exchange that may be a binding's source or destination: not the default one. */
    public Exchange bindable(String exchange) {
        if (exchange.isEmpty()) {
            throw defaultExchangeRefused();
        }
        return exchange(exchange);
    }

    private void requireLive(Destination destination) {
        if (destination instanceof Destination.ToQueue toQueue && toQueue.queue().isDeleted()) {
            throw new BrokerException(Condition.NOT_FOUND, "no " + toQueue.describe());
        }
        if (destination instanceof Destination.ToExchange toExchange
                && exchanges.get(toExchange.exchange().name()) != toExchange.exchange()) {
            throw new BrokerException(Condition.NOT_FOUND, "no " + toExchange.describe());
        }
    }

    // ---- queues

    /**
     * queue.declare for the connection {@code connection}: creates the queue, or checks that the
     * existing one is the same (exclusive access first, then equivalence).
     *
     * @param serverNamed the name came from {@link #newQueueName()}, so its reserved prefix is allowed
     */
    public Queue declareQueue(QueueDeclaration declaration, long connection, boolean serverNamed) {
        String queue = declaration.name();
        if (queue.isEmpty() && !declaration.passive()) {
            queue = newQueueName();
        }
        Names.checkLength("queue", queue);
        topology.writeLock().lock();
        try {
            Queue existing = queues.get(queue);
            if (existing != null && !existing.isDeleted()) {
                Equivalence.checkExclusiveAccess(existing, connection, declaration.exclusive(), !declaration.passive());
                if (!declaration.passive()) {
                    Equivalence.queue(existing, declaration);
                    existing.touch();
                }
                return existing;
            }
            if (declaration.passive()) {
                throw new BrokerException(Condition.NOT_FOUND, "no queue '" + queue + "' in vhost '" + name + "'");
            }
            if (!serverNamed && !declaration.name().isEmpty()) {
                Names.checkNotReserved("queue", queue, name);
            }
            QueueType type = queueType(queue, declaration.arguments());
            QueueSettings settings = new QueueSettings(name, queue, type.name(), declaration.durable(),
                    declaration.exclusive() ? connection : QueueSettings.NOT_EXCLUSIVE, declaration.autoDelete(),
                    declaration.arguments());
            QueueArguments.of(settings);
            OrderingArguments.of(settings);
            Queue created = type.create(settings, queueContext);
            if (settings.durable() && !settings.exclusive() && persistence.durable()) {
                // durable and exclusive is transient, as in RabbitMQ: it goes with its connection anyway
                long key = persistence.newKey();
                created.storeAs(key);
                write(persistence.put(key, BrokerRecords.queue(new BrokerRecords.QueueRecord(name, queue,
                        type.name(), true, settings.autoDelete(), settings.arguments()))));
            }
            queues.put(queue, created);
            configure(created);
            return created;
        } finally {
            topology.writeLock().unlock();
        }
    }

    /** Applies the policy that matches the queue, if one does. */
    private void configure(Queue queue) {
        Policy policy = queueContext.policies().forQueue(name, queue.name());
        if (policy != null) {
            queue.applyPolicy(policy);
        }
    }

    /** Applies the policies as they are now to every queue (a policy was added, changed or deleted). */
    public void applyPolicies() {
        for (Queue queue : queues()) {
            Policy policy = queueContext.policies().forQueue(name, queue.name());
            if (policy != queue.policy()) {
                queue.applyPolicy(policy);
            }
        }
    }

    /** Message trace of the broker. */
    public Tracer tracer() {
        return queueContext.tracer();
    }

    /** A fresh server-chosen queue name ({@code amq.gen-...}) for a declare without a name. */
    public String newQueueName() {
        return names.generate("amq.gen-");
    }

    private QueueType queueType(String queue, Map<String, Object> arguments) {
        Object value = arguments == null ? null : arguments.get("x-queue-type");
        String typeName = value == null ? ClassicQueueType.NAME : FieldValues.asString(value).orElse(null);
        if (STREAM.equals(typeName)) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "queue '" + queue + "' in vhost '" + name
                    + "' is declared with x-queue-type 'stream', but FerryMQ has no streams: declare it as "
                    + "'quorum' or 'classic'");
        }
        QueueType type = typeName == null ? null : queueTypes.get(typeName);
        if (type == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "unknown x-queue-type "
                    + FieldEquality.render(value) + " for queue '" + queue + "' in vhost '" + name
                    + "': supported types are " + new TreeSet<>(queueTypes.keySet()));
        }
        return type;
    }

    /** The live queue, or NOT_FOUND. */
    public Queue queue(String queue) {
        Queue found = queues.get(queue);
        if (found == null || found.isDeleted()) {
            throw new BrokerException(Condition.NOT_FOUND, "no queue '" + queue + "' in vhost '" + name + "'");
        }
        return found;
    }

    /** The live queue, or null. */
    public Queue existingQueue(String queue) {
        Queue found = queues.get(queue);
        return found == null || found.isDeleted() ? null : found;
    }

    /** RESOURCE_LOCKED when the queue is exclusive to a connection other than {@code connection}. */
    public void checkExclusiveAccess(Queue queue, long connection) {
        Equivalence.checkExclusiveAccess(queue, connection, false, false);
    }

    /**
     * Deletes a queue and its bindings; its consumers are told. Returns the ready messages it held
     * (0 when it was already gone).
     */
    public int deleteQueue(Queue queue, boolean ifUnused, boolean ifEmpty) {
        int count = queue.delete(ifUnused, ifEmpty);
        topology.writeLock().lock();
        try {
            boolean removed = queues.remove(queue.name(), queue);
            Set<Binding> bindings = inbound.remove(new Destination.ToQueue(queue));
            if (bindings != null) {
                for (Binding binding : bindings) {
                    binding.source().bindings().remove(binding);
                    unstoreBinding(binding);
                    autoDeleteIfUnused(binding.source());
                }
            }
            if (removed && queue.storeKey() != 0) {
                write(persistence.remove(queue.storeKey()));
            }
            if (removed && queue.policy() != null) {
                queueContext.tracer().policyTrace(name, queue.name(), false);
            }
        } finally {
            topology.writeLock().unlock();
        }
        return Math.max(count, 0);
    }

    // ---- routing

    /**
     * What the exchange's deduplication window (G4) decides for {@code message} now: a duplicate is confirmed and
     * not routed at all. Null when the exchange deduplicates nothing or the message has no key.
     */
    public Deduplicator.Admission deduplicate(Exchange exchange, Message message) {
        Deduplicator window = exchange.deduplicator();
        return window == null ? null : window.admit(message, queueContext.clock().millis());
    }

    /**
     * The queues a message published to {@code exchange} reaches: through exchange-to-exchange
     * bindings, and through alternate exchanges where an exchange matched no binding. Each queue
     * appears once and each exchange is visited once, so cycles end.
     */
    public List<Queue> route(Exchange exchange, Message message) {
        if (exchange == defaultExchange) {
            Queue queue = queues.get(message.routingKey());
            return queue == null ? List.of() : List.of(queue);
        }
        topology.readLock().lock();
        try {
            Set<Queue> targets = new LinkedHashSet<>();
            Set<Exchange> seen = new HashSet<>();
            ArrayDeque<Exchange> work = new ArrayDeque<>();
            List<Destination> matched = new ArrayList<>();
            seen.add(exchange);
            work.add(exchange);
            while (!work.isEmpty()) {
                Exchange next = work.poll();
                if (next.delayed() != null && DelayHeader.delayOf(message) > 0) {
                    // held until due, then routed from this exchange (see DelayedMessages)
                    targets.add(next.delayed());
                    continue;
                }
                matched.clear();
                next.bindings().match(message, matched);
                if (matched.isEmpty() && next.alternateExchange() != null) {
                    Exchange alternate = exchanges.get(next.alternateExchange());
                    if (alternate != null && seen.add(alternate)) {
                        work.add(alternate);
                    }
                }
                for (Destination destination : matched) {
                    if (destination instanceof Destination.ToQueue toQueue) {
                        targets.add(toQueue.queue());
                    } else if (destination instanceof Destination.ToExchange toExchange
                            && seen.add(toExchange.exchange())) {
                        work.add(toExchange.exchange());
                    }
                }
            }
            return List.copyOf(targets);
        } finally {
            topology.readLock().unlock();
        }
    }

    // ---- views

    public Collection<Queue> queues() {
        return List.copyOf(queues.values());
    }

    public Collection<Exchange> exchanges() {
        return List.copyOf(exchanges.values());
    }

    /** Every explicit binding, under the read lock. */
    public List<Binding> bindings() {
        topology.readLock().lock();
        try {
            List<Binding> all = new ArrayList<>();
            inbound.values().forEach(all::addAll);
            return all;
        } finally {
            topology.readLock().unlock();
        }
    }

    // ---- under the write lock

    private void removeExchange(Exchange exchange) {
        exchanges.remove(exchange.name(), exchange);
        for (Binding binding : exchange.bindings().all()) {
            exchange.bindings().remove(binding);
            forgetInbound(binding);
        }
        Set<Binding> leadingHere = inbound.remove(new Destination.ToExchange(exchange));
        if (leadingHere != null) {
            for (Binding binding : leadingHere) {
                binding.source().bindings().remove(binding);
                unstoreBinding(binding);
                autoDeleteIfUnused(binding.source());
            }
        }
        Long key = exchangeKeys.remove(exchange);
        if (key != null) {
            write(persistence.remove(key));
        }
        if (exchange.deduplicator() != null) {
            exchange.deduplicator().clear();
        }
        if (exchange.delayed() != null) {
            exchange.delayed().delete(false, false);
        }
    }

    private void forgetInbound(Binding binding) {
        unstoreBinding(binding);
        Set<Binding> bindings = inbound.get(binding.destination());
        if (bindings != null) {
            bindings.remove(binding);
            if (bindings.isEmpty()) {
                inbound.remove(binding.destination());
            }
        }
    }

    /** An auto-delete exchange goes when its last binding as a source goes. */
    private void autoDeleteIfUnused(Exchange exchange) {
        if (exchange.autoDelete() && exchange.bindings().isEmpty() && exchanges.get(exchange.name()) == exchange) {
            removeExchange(exchange);
        }
    }

    // ---- the store

    public Persistence persistence() {
        return persistence;
    }

    /** Completes once every topology write made so far is durable (and at once without a store). */
    public CompletableFuture<Void> topologyBarrier() {
        return lastWrite;
    }

    /** Under the write lock. */
    private void write(CompletableFuture<Void> written) {
        CompletableFuture<Void> previous = lastWrite;
        lastWrite = previous.isDone() ? written : CompletableFuture.allOf(previous, written);
    }

    private boolean stored(Exchange exchange) {
        return exchangeKeys.containsKey(exchange) || (exchange.durable() && PREDECLARED.contains(exchange.name())
                && exchanges.get(exchange.name()) == exchange);
    }

    private boolean stored(Destination destination) {
        if (destination instanceof Destination.ToQueue toQueue) {
            return toQueue.queue().storeKey() != 0;
        }
        return stored(((Destination.ToExchange) destination).exchange());
    }

    /** Under the write lock: a new binding between stored objects is stored too. */
    private void storeBinding(Binding binding) {
        if (!persistence.durable() || !stored(binding.source()) || !stored(binding.destination())) {
            return;
        }
        long key = persistence.newKey();
        bindingKeys.put(binding, key);
        write(persistence.put(key, BrokerRecords.binding(bindingRecord(binding))));
    }

    private void unstoreBinding(Binding binding) {
        Long key = bindingKeys.remove(binding);
        if (key != null) {
            write(persistence.remove(key));
        }
    }

    private BrokerRecords.BindingRecord bindingRecord(Binding binding) {
        boolean toQueue = binding.destination() instanceof Destination.ToQueue;
        String destination = toQueue ? ((Destination.ToQueue) binding.destination()).queue().name()
                : ((Destination.ToExchange) binding.destination()).exchange().name();
        return new BrokerRecords.BindingRecord(name, binding.source().name(), toQueue, destination,
                binding.routingKey(), binding.arguments());
    }

    /** At start, before any client: an exchange recovered from the store under {@code key}. */
    public Exchange restoreExchange(long key, BrokerRecords.ExchangeRecord record) {
        boolean delayed = DelayedType.isDelayed(record.type());
        ExchangeType type = delayed ? DelayedType.routingType(record.arguments(), "exchange '" + record.name() + "'")
                : ExchangeType.byName(record.type()).orElseThrow(() -> new IllegalArgumentException(
                        "unknown exchange type '" + record.type() + "'"));
        Object alternateValue = record.arguments().get("alternate-exchange");
        String alternate = alternateValue == null ? null : FieldValues.asString(alternateValue).orElse(null);
        topology.writeLock().lock();
        try {
            if (exchanges.containsKey(record.name())) {
                throw new IllegalArgumentException("exchange '" + record.name() + "' exists already");
            }
            DedupSettings dedup = DedupSettings.parse(record.arguments(), "exchange '" + record.name() + "'");
            Exchange exchange = new Exchange(name, record.name(), type, true, record.autoDelete(), record.internal(),
                    record.arguments(), alternate, type.newBindings(),
                    dedup == null ? null : new Deduplicator(dedup, persistence),
                    delayed ? new DelayedMessages(name, record.name(), queueContext, this::route) : null);
            exchanges.put(record.name(), exchange);
            exchangeKeys.put(exchange, key);
            if (exchange.deduplicator() != null) {
                exchange.deduplicator().storeAs(key);
            }
            if (exchange.delayed() != null) {
                // its timer waits for the end of recovery (DelayedMessages#start)
                exchange.delayed().storeAs(key);
            }
            return exchange;
        } finally {
            topology.writeLock().unlock();
        }
    }

    /** At start: a durable queue recovered from the store under {@code key} (its messages follow). */
    public Queue restoreQueue(long key, BrokerRecords.QueueRecord record) {
        QueueType type = queueTypes.get(record.type());
        if (type == null) {
            throw new IllegalArgumentException("unknown queue type '" + record.type() + "'");
        }
        topology.writeLock().lock();
        try {
            if (queues.containsKey(record.name())) {
                throw new IllegalArgumentException("queue '" + record.name() + "' exists already");
            }
            QueueSettings settings = new QueueSettings(name, record.name(), type.name(), true,
                    QueueSettings.NOT_EXCLUSIVE, record.autoDelete(), record.arguments());
            Queue queue = type.create(settings, queueContext);
            queue.storeAs(key);
            queues.put(record.name(), queue);
            configure(queue);
            return queue;
        } finally {
            topology.writeLock().unlock();
        }
    }

    /** At start: a binding recovered from the store under {@code key}; false when an end of it is missing. */
    public boolean restoreBinding(long key, BrokerRecords.BindingRecord record) {
        topology.writeLock().lock();
        try {
            Exchange source = exchanges.get(record.source());
            Destination destination;
            if (record.toQueue()) {
                Queue queue = queues.get(record.destination());
                destination = queue == null ? null : new Destination.ToQueue(queue);
            } else {
                Exchange exchange = exchanges.get(record.destination());
                destination = exchange == null || exchange == defaultExchange ? null
                        : new Destination.ToExchange(exchange);
            }
            if (source == null || source == defaultExchange || destination == null) {
                return false;
            }
            Binding binding = new Binding(source, destination, record.routingKey(), record.arguments());
            if (source.bindings().add(binding)) {
                inbound.computeIfAbsent(destination, d -> new LinkedHashSet<>()).add(binding);
                bindingKeys.put(binding, key);
                return true;
            }
            return false;
        } finally {
            topology.writeLock().unlock();
        }
    }

    private BrokerException defaultExchangeRefused() {
        return new BrokerException(Condition.ACCESS_REFUSED,
                "operation not permitted on the default exchange in vhost '" + name
                        + "': it takes only publishes; use a named exchange");
    }
}
