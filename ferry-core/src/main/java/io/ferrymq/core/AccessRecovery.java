package io.ferrymq.core;

import io.ferrymq.core.persist.BrokerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Rebuilds vhosts, users, permissions and policies from their records at start, before any topology (which needs its vhost).
 * A record that cannot be decoded is logged and removed; the broker starts anyway. Kept apart from
 * {@link Recovery}'s topology and message replay, which only hands these records over.
 */
final class AccessRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRecovery.class);

    private AccessRecovery() {
    }

    /** Whether {@link #run} takes records of this kind. */
    static boolean takes(int kind) {
        return kind == BrokerRecords.VHOST || kind == BrokerRecords.USER || kind == BrokerRecords.PERMISSION
                || kind == BrokerRecords.POLICY;
    }

    static void run(LocalBroker broker, List<Recovery.Record> records, LongConsumer remove) {
        int vhosts = 0;
        int users = 0;
        int permissions = 0;
        // vhosts first: permissions name them
        for (Recovery.Record record : records) {
            if (kind(record) == BrokerRecords.VHOST && restore(remove, record,
                    () -> broker.vhosts().restore(record.key(), ByteBuffer.wrap(record.bytes())))) {
                vhosts++;
            }
        }
        for (Recovery.Record record : records) {
            if (kind(record) == BrokerRecords.USER && restore(remove, record,
                    () -> broker.access().restoreUser(record.key(), ByteBuffer.wrap(record.bytes())))) {
                users++;
            }
        }
        for (Recovery.Record record : records) {
            if (kind(record) == BrokerRecords.PERMISSION && restore(remove, record,
                    () -> broker.access().restorePermission(record.key(), ByteBuffer.wrap(record.bytes())))) {
                permissions++;
            }
        }
        int policies = 0;
        // before queues, which are configured by them as they are restored
        for (Recovery.Record record : records) {
            if (kind(record) == BrokerRecords.POLICY && restore(remove, record,
                    () -> broker.policies().restore(record.key(), ByteBuffer.wrap(record.bytes())))) {
                policies++;
            }
        }
        if (!records.isEmpty()) {
            LOG.info("recovered {} vhost(s), {} user(s), {} permission(s), {} policies", vhosts, users, permissions,
                    policies);
        }
    }

    private static int kind(Recovery.Record record) {
        return BrokerRecords.kind(ByteBuffer.wrap(record.bytes()));
    }

    /** @param remove removes a record from the store once it is open */
    private static boolean restore(LongConsumer remove, Recovery.Record record, Runnable restore) {
        try {
            restore.run();
            return true;
        } catch (RuntimeException e) {
            LOG.error("store: record {} dropped at start (access control: {})", record.key(), e.getMessage());
            remove.accept(record.key());
            return false;
        }
    }
}
