package io.ferrymq.core;

import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.Persistence.Recovered;
import io.ferrymq.core.persist.Persistence.RecoveredEntry;
import io.ferrymq.core.persist.Persistence.RecoveredRecord;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.vhost.VirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Rebuilds the broker from what the store held at start: exchanges, then queues, then bindings, then each stored
 * queue's messages in entry (sequence) order. A record that cannot be decoded or no longer fits (a binding whose
 * end is gone, messages of a queue that is gone) is logged and removed from the store; the broker starts anyway.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    static void run(LocalBroker broker, Persistence persistence) {
        Recovered recovered = persistence.takeRecovered();
        if (recovered.records().isEmpty() && recovered.entries().isEmpty()) {
            return;
        }
        List<RecoveredRecord> exchanges = new ArrayList<>();
        List<RecoveredRecord> queueRecords = new ArrayList<>();
        List<RecoveredRecord> bindings = new ArrayList<>();
        List<RecoveredRecord> access = new ArrayList<>();
        for (RecoveredRecord record : recovered.records()) {
            int kind = BrokerRecords.kind(ByteBuffer.wrap(record.record()));
            switch (kind) {
                case BrokerRecords.EXCHANGE -> exchanges.add(record);
                case BrokerRecords.QUEUE -> queueRecords.add(record);
                case BrokerRecords.BINDING -> bindings.add(record);
                default -> {
                    if (AccessRecovery.takes(kind)) {
                        access.add(record);
                    } else {
                        drop(persistence, record, "unknown record kind");
                    }
                }
            }
        }
        // vhosts, users and permissions before the topology that lives in the vhosts
        AccessRecovery.run(broker, persistence, access);
        for (RecoveredRecord record : exchanges) {
            try {
                BrokerRecords.ExchangeRecord exchange = BrokerRecords.readExchange(ByteBuffer.wrap(record.record()));
                host(broker, exchange.vhost()).restoreExchange(record.key(), exchange);
            } catch (RuntimeException e) {
                drop(persistence, record, "exchange: " + e.getMessage());
            }
        }
        Map<Long, Queue> queues = new HashMap<>();
        for (RecoveredRecord record : queueRecords) {
            try {
                BrokerRecords.QueueRecord queue = BrokerRecords.readQueue(ByteBuffer.wrap(record.record()));
                queues.put(record.key(), host(broker, queue.vhost()).restoreQueue(record.key(), queue));
            } catch (RuntimeException e) {
                drop(persistence, record, "queue: " + e.getMessage());
            }
        }
        int bound = 0;
        for (RecoveredRecord record : bindings) {
            try {
                BrokerRecords.BindingRecord binding = BrokerRecords.readBinding(ByteBuffer.wrap(record.record()));
                if (host(broker, binding.vhost()).restoreBinding(record.key(), binding)) {
                    bound++;
                } else {
                    drop(persistence, record, "binding " + binding + " has lost an end");
                }
            } catch (RuntimeException e) {
                drop(persistence, record, "binding: " + e.getMessage());
            }
        }
        List<RecoveredEntry> entries = new ArrayList<>(recovered.entries());
        entries.sort(Comparator.comparingLong(RecoveredEntry::stream).thenComparingLong(RecoveredEntry::entry));
        long restored = 0;
        long orphans = 0;
        for (RecoveredEntry entry : entries) {
            Queue queue = queues.get(entry.stream());
            CompletableFuture<Long> address = CompletableFuture.completedFuture(entry.address());
            if (queue == null) {
                orphans++;
                persistence.delete(entry.stream(), entry.entry(), address);
                continue;
            }
            try {
                queue.restore(entry.entry(), BrokerRecords.readMessage(ByteBuffer.wrap(entry.payload())),
                        entry.address());
                restored++;
            } catch (RuntimeException e) {
                LOG.error("store: message {} of {} cannot be read and is dropped: {}", entry.entry(),
                        queue.settings().describe(), e.getMessage());
                persistence.delete(entry.stream(), entry.entry(), address);
            }
        }
        if (orphans > 0) {
            LOG.warn("store: {} message(s) of deleted queues removed", orphans);
        }
        LOG.info("recovered {} exchange(s), {} queue(s), {} binding(s), {} message(s)", exchanges.size(),
                queues.size(), bound, restored);
    }

    private static VirtualHost host(LocalBroker broker, String vhost) {
        broker.addVirtualHost(vhost);
        return broker.virtualHost(vhost);
    }

    private static void drop(Persistence persistence, RecoveredRecord record, String why) {
        LOG.error("store: record {} dropped at start ({})", record.key(), why);
        persistence.remove(record.key());
    }
}
