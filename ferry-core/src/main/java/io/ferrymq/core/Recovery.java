package io.ferrymq.core;

import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.RecoveryHandler;
import io.ferrymq.core.queue.DeliveryState;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.vhost.VirtualHost;
import io.ferrymq.core.vhost.VirtualHostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Rebuilds the broker from what the store held at start, while the store replays: the topology records are
 * collected, then, before the first message (or at the end), exchanges, queues and bindings are restored in that
 * order; each message then goes straight to its queue, paged (its body stays in the store until delivered), so
 * that a backlog far larger than memory can be recovered. A record that cannot be decoded or no longer fits (a
 * binding whose end is gone, messages of a queue that is gone) is logged and removed from the store once it is
 * open; the broker starts anyway.
 */
final class Recovery implements RecoveryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final LocalBroker broker;
    private final Persistence persistence;
    private final List<Record> exchanges = new ArrayList<>();
    private final List<Record> queueRecords = new ArrayList<>();
    private final List<Record> bindings = new ArrayList<>();
    private final List<Record> access = new ArrayList<>();
    private final Map<Long, Queue> queues = new HashMap<>();
    /** Deduplication windows by their stream ({@code -ownerKey}). */
    private final Map<Long, Deduplicator> windows = new HashMap<>();
    /** Delayed exchanges by their stream (their key): their pending messages are entries of it. */
    private final Map<Long, Exchange> delayedExchanges = new HashMap<>();
    /** Removals found while the store replays, done once it is open. */
    private final List<Runnable> cleanUp = new ArrayList<>();
    private boolean topologyRestored;
    private int bound;
    private long restored;
    private long orphans;

    /** A metadata record as the store held it. */
    record Record(long key, byte[] bytes) {
    }

    private Recovery(LocalBroker broker, Persistence persistence) {
        this.broker = broker;
        this.persistence = persistence;
    }

    static void run(LocalBroker broker, Persistence persistence) {
        persistence.recover(new Recovery(broker, persistence));
    }

    @Override
    public void record(long key, ByteBuffer record) {
        byte[] bytes = new byte[record.remaining()];
        record.duplicate().get(bytes);
        Record copy = new Record(key, bytes);
        try {
            int kind = BrokerRecords.kind(ByteBuffer.wrap(bytes));
            switch (kind) {
                case BrokerRecords.EXCHANGE -> exchanges.add(copy);
                case BrokerRecords.QUEUE -> queueRecords.add(copy);
                case BrokerRecords.BINDING -> bindings.add(copy);
                default -> {
                    if (AccessRecovery.takes(kind)) {
                        access.add(copy);
                    } else {
                        drop(copy, "unknown record kind");
                    }
                }
            }
        } catch (RuntimeException e) {
            drop(copy, e.getMessage());
        }
    }

    @Override
    public void entry(long stream, long entry, long address, ByteBuffer payload) {
        restoreTopology();
        if (stream < 0) {
            restoreKey(stream, entry, address, payload);
            return;
        }
        Exchange delayed = delayedExchanges.get(stream);
        if (delayed != null) {
            restoreDelayed(delayed, stream, entry, address, payload);
            return;
        }
        Queue queue = queues.get(stream);
        if (queue == null) {
            orphans++;
            cleanUp.add(() -> persistence.delete(stream, entry, CompletableFuture.completedFuture(address)));
            return;
        }
        try {
            if (DeliveryState.isDeliveryState(payload)) {
                queue.restoreDeliveryState(entry, address, payload);
                return;
            }
            queue.restore(entry, address, BrokerRecords.readMessageSummary(payload));
            restored++;
        } catch (RuntimeException e) {
            LOG.error("store: message {} of {} cannot be read and is dropped: {}", entry,
                    queue.settings().describe(), e.getMessage());
            cleanUp.add(() -> persistence.delete(stream, entry, CompletableFuture.completedFuture(address)));
        }
    }

    /** A message a delayed exchange held: pending again, its body left in the store. */
    private void restoreDelayed(Exchange exchange, long stream, long entry, long address, ByteBuffer payload) {
        try {
            exchange.delayed().restore(entry, address, payload);
            restored++;
        } catch (RuntimeException e) {
            LOG.error("store: delayed message {} of {} cannot be read and is dropped: {}", entry, exchange,
                    e.getMessage());
            cleanUp.add(() -> persistence.delete(stream, entry, CompletableFuture.completedFuture(address)));
        }
    }

    /** A key of a deduplication window: its owner gets it back, or it goes with its owner. */
    private void restoreKey(long stream, long entry, long address, ByteBuffer payload) {
        Deduplicator window = windows.get(stream);
        try {
            if (window != null) {
                window.restore(entry, address, payload);
                return;
            }
            orphans++;
        } catch (RuntimeException e) {
            LOG.error("store: deduplication key {} of stream {} cannot be read and is dropped: {}", entry, stream,
                    e.getMessage());
        }
        cleanUp.add(() -> persistence.delete(stream, entry, CompletableFuture.completedFuture(address)));
    }

    @Override
    public void end() {
        restoreTopology();
        cleanUp.forEach(Runnable::run);
        queues.values().forEach(Queue::restored);
        // the store is open now: messages that fell due while the broker was down leave at once
        delayedExchanges.values().forEach(exchange -> exchange.delayed().start(exchange));
        if (orphans > 0) {
            LOG.warn("store: {} message(s) and deduplication key(s) of deleted queues and exchanges removed",
                    orphans);
        }
        if (!exchanges.isEmpty() || !queues.isEmpty() || restored > 0) {
            LOG.info("recovered {} exchange(s), {} queue(s), {} binding(s), {} message(s)", exchanges.size(),
                    queues.size(), bound, restored);
        }
    }

    private void restoreTopology() {
        if (topologyRestored) {
            return;
        }
        topologyRestored = true;
        // vhosts, users and permissions before the topology that lives in the vhosts
        AccessRecovery.run(broker, access, key -> cleanUp.add(() -> persistence.remove(key)));
        for (Record record : exchanges) {
            try {
                BrokerRecords.ExchangeRecord exchange = BrokerRecords.readExchange(ByteBuffer.wrap(record.bytes()));
                Exchange restored = host(exchange.vhost()).restoreExchange(record.key(), exchange);
                if (restored.deduplicator() != null) {
                    windows.put(-record.key(), restored.deduplicator());
                }
                if (restored.delayed() != null) {
                    delayedExchanges.put(record.key(), restored);
                }
            } catch (RuntimeException e) {
                drop(record, "exchange: " + e.getMessage());
            }
        }
        for (Record record : queueRecords) {
            try {
                BrokerRecords.QueueRecord queue = BrokerRecords.readQueue(ByteBuffer.wrap(record.bytes()));
                Queue restored = host(queue.vhost()).restoreQueue(record.key(), queue);
                queues.put(record.key(), restored);
                if (restored.deduplicator() != null) {
                    windows.put(-record.key(), restored.deduplicator());
                }
            } catch (RuntimeException e) {
                drop(record, "queue: " + e.getMessage());
            }
        }
        for (Record record : bindings) {
            try {
                BrokerRecords.BindingRecord binding = BrokerRecords.readBinding(ByteBuffer.wrap(record.bytes()));
                if (host(binding.vhost()).restoreBinding(record.key(), binding)) {
                    bound++;
                } else {
                    drop(record, "binding " + binding + " has lost an end");
                }
            } catch (RuntimeException e) {
                drop(record, "binding: " + e.getMessage());
            }
        }
    }

    /**
     * The vhost a record names. A store written before vhosts were stored names vhosts it has no record of: they
     * are made in memory now and written once the store is open.
     */
    private VirtualHost host(String vhost) {
        VirtualHost found = broker.vhosts().find(vhost);
        if (found == null) {
            found = broker.vhosts().adopt(vhost);
            cleanUp.add(() -> broker.vhosts().put(new VirtualHostInfo(vhost, "", List.of())));
        }
        return found;
    }

    private void drop(Record record, String why) {
        LOG.error("store: record {} dropped at start ({})", record.key(), why);
        cleanUp.add(() -> persistence.remove(record.key()));
    }
}
