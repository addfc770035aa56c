package io.ferrymq.store.journal;

import io.ferrymq.store.StoreException;
import io.ferrymq.store.UnsupportedFormatException;
import io.ferrymq.store.log.Damage;
import io.ferrymq.store.log.DamageKind;
import io.ferrymq.store.log.LogRecord;
import io.ferrymq.store.log.ScanListener;
import io.ferrymq.store.log.SegmentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs once, on the opening thread, before the writer starts (so it may cut damaged files): rebuilds the journal's
 * state when it opens, and replays the live records to the owner.
 *
 * <ol>
 *   <li><b>Accounting.</b> Restore the ledger and metadata index from the checkpoint if it is usable, and scan
 *       (checksum every record, cut the torn tail, skip or cut damage) only the log from the checkpoint's position;
 *       without a usable checkpoint, scan everything.</li>
 *   <li><b>Metadata.</b> Read each current metadata value by address and hand it over.</li>
 *   <li><b>Entries.</b> Read every segment once more and hand over each add that is not dead, recounting the live
 *       values as a check of the accounting.</li>
 * </ol>
 * The checkpoint spares step 1 for everything below its position (the checksum pass and the kill bookkeeping), not
 * step 3: the owner must see every live entry to rebuild its index, so replay costs a read of the retained log
 * (at most about twice the live data) either way.
 */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);
    private static final int FIRST = SegmentLog.firstRecordOffset();

    /** The outcome: the accounting the writer continues with, and the report. */
    record Recovered(Ledger ledger, MetadataIndex metadata, RecoveryReport report) {
    }

    private final SegmentLog log;
    private final CheckpointFiles checkpoints;
    private final BodyCodec bodies;
    private final ReplayHandler handler;
    private final List<Damage> damages;

    JournalRecovery(SegmentLog log, CheckpointFiles checkpoints, BodyCodec bodies, ReplayHandler handler,
                    List<Damage> damages) {
        this.log = log;
        this.checkpoints = checkpoints;
        this.bodies = bodies;
        this.handler = handler;
        this.damages = damages;
    }

    Recovered run() throws IOException {
        OptionalLong clean = checkpoints.readClean();
        Checkpoint checkpoint = usableCheckpoint();
        Ledger ledger = checkpoint == null ? new Ledger() : checkpoint.ledger();
        MetadataIndex metadata = checkpoint == null ? new MetadataIndex() : checkpoint.metadata();
        long from = checkpoint == null ? 0 : checkpoint.position();
        ledger.retain(log.segmentBases(), FIRST);

        long scanned = 0;
        for (long base : log.segmentBases()) {
            long size = log.segmentSize(base);
            if (base + size <= from) {
                continue;
            }
            long start = Math.max(FIRST, from - base);
            scanned += size - start;
            log.scan(base, start, Long.MAX_VALUE, from,
                    BatchRecords.unpacking(new Accounting(base, ledger, metadata)));
        }
        boolean cleanShutdown = checkpoint != null && clean.isPresent() && clean.getAsLong() == from
                && logEnd() == from;

        long metadataValues = replayMetadata(ledger, metadata);
        long entries = 0;
        for (long base : log.segmentBases()) {
            entries += replayEntries(base, ledger.stateAt(base), checkpoint != null, from);
        }
        RecoveryReport report = new RecoveryReport(cleanShutdown, from, scanned, entries, metadataValues, damages);
        for (Damage damage : damages) {
            LOG.warn("store recovery: {}", RecoveryReport.describe(damage));
        }
        LOG.info("store in {} opened{}: scanned {} bytes from position {}, replayed {} entries and {} metadata "
                        + "values, {} damage reports", log, cleanShutdown ? " after a clean shutdown" : "", scanned,
                from, entries, metadataValues, damages.size());
        return new Recovered(ledger, metadata, report);
    }

    private long logEnd() {
        List<Long> bases = log.segmentBases();
        if (bases.isEmpty()) {
            return 0;
        }
        long last = bases.get(bases.size() - 1);
        return last + log.segmentSize(last);
    }

    /** The checkpoint, if it is readable and agrees with the segments on disk; else null (scan everything). */
    private Checkpoint usableCheckpoint() throws IOException {
        Optional<byte[]> file = checkpoints.read();
        if (file.isEmpty()) {
            return null;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointCodec.decode(file.get(), checkpoints.describe());
        } catch (UnsupportedFormatException e) {
            throw e;
        } catch (StoreException e) {
            damages.add(new Damage(DamageKind.CORRUPT_CHECKPOINT, checkpoints.describe(), -1, file.get().length, -1,
                    new byte[0], e.getMessage() + "; ignored, the whole log is scanned instead"));
            return null;
        }
        String mismatch = mismatch(checkpoint);
        if (mismatch != null) {
            LOG.warn("checkpoint {} does not match the segments on disk ({}): scanning the whole log instead",
                    checkpoints.describe(), mismatch);
            return null;
        }
        return checkpoint;
    }

    private String mismatch(Checkpoint checkpoint) {
        if (damages.stream().anyMatch(d -> d.kind() == DamageKind.CORRUPT_SEGMENT)) {
            return "a segment with a damaged header was set aside";
        }
        if (logEnd() < checkpoint.position()) {
            return "the log ends at " + logEnd() + ", before the checkpoint's position " + checkpoint.position();
        }
        for (long base : log.segmentBases()) {
            SegmentState state = checkpoint.ledger().stateAt(base);
            if (state == null && base < checkpoint.position()) {
                return "segment " + base + " lies below the checkpoint's position but is not in it";
            }
            if (state != null && log.segmentSize(base) < state.end()) {
                return "segment " + base + " is shorter than the checkpoint says";
            }
        }
        return null;
    }

    private long replayMetadata(Ledger ledger, MetadataIndex metadata) {
        long delivered = 0;
        for (MetadataIndex.Ref ref : metadata.byAddress()) {
            if (ledger.isDead(ref.address())) {
                metadata.remove(ref.key());
                continue;
            }
            ByteBuffer value;
            try {
                LogRecord stored = log.read(ref.address());
                JournalRecord record = JournalCodec.decode(stored.address(), stored.size(), stored.type(),
                        stored.flags(), stored.payload());
                value = bodies.decode(record.flags(), record.body(), ref.address());
            } catch (UnsupportedFormatException e) {
                throw e;
            } catch (StoreException e) {
                damages.add(new Damage(DamageKind.CORRUPT_SKIPPED, log.toString(), ref.address(), ref.size(),
                        JournalCodec.METADATA, ByteBuffer.allocate(8).putLong(0, ref.key()).array(),
                        "the current value of metadata key " + ref.key() + " is unreadable (" + e.getMessage()
                                + "); the key is dropped"));
                metadata.remove(ref.key());
                ledger.lost(ref.address(), ref.size());
                continue;
            }
            handler.metadata(ref.key(), value);
            delivered++;
        }
        return delivered;
    }

    private long replayEntries(long base, SegmentState state, boolean fromCheckpoint, long durableHint)
            throws IOException {
        Delivery delivery = new Delivery(state);
        log.scan(base, FIRST, Long.MAX_VALUE, durableHint, BatchRecords.unpacking(delivery));
        if (fromCheckpoint && (delivery.live != state.live() || delivery.liveBytes != state.liveBytes())) {
            LOG.warn("segment {} of {} holds {} live values ({} bytes) where the checkpoint counted {} ({} bytes): "
                            + "using the recount", base, log, delivery.live, delivery.liveBytes, state.live(),
                    state.liveBytes());
        }
        state.recount(delivery.live, delivery.liveBytes, (int) log.segmentSize(base));
        return delivery.entries;
    }

    /** Step 1: account for each record after the checkpoint. */
    private final class Accounting implements ScanListener {
        private final long base;
        private final Ledger ledger;
        private final MetadataIndex metadata;

        Accounting(long base, Ledger ledger, MetadataIndex metadata) {
            this.base = base;
            this.ledger = ledger;
            this.metadata = metadata;
        }

        @Override
        public void record(long address, int size, byte type, byte flags, ByteBuffer payload) {
            JournalRecord record = JournalCodec.decode(address, size, type, flags, payload);
            if (record.isValue()) {
                ledger.value(base, address, size);
            } else {
                ledger.other(base, address, size);
            }
            if (record.kills()) {
                ledger.kill(base, record.isValue() ? 0 : size, record.killAddress(), record.killSize());
            }
            metadata.apply(record);
        }

        @Override
        public void damaged(Damage damage) {
            damages.add(damage);
            if (damage.kind() == DamageKind.CORRUPT_SKIPPED) {
                ledger.lost(damage.address(), damage.lostBytes());
            }
        }
    }

    /** Step 3: hand over each live add of one segment, and count the live values. */
    private final class Delivery implements ScanListener {
        private final SegmentState state;
        int live;
        long liveBytes;
        long entries;

        Delivery(SegmentState state) {
            this.state = state;
        }

        @Override
        public void record(long address, int size, byte type, byte flags, ByteBuffer payload) {
            JournalRecord record = JournalCodec.decode(address, size, type, flags, payload);
            if (!record.isValue() || state.isDead((int) (address - state.base))) {
                return;
            }
            if (record.isAdd()) {
                ByteBuffer body;
                try {
                    body = bodies.decode(record.flags(), record.body(), address);
                } catch (StoreException e) {
                    damaged(new Damage(DamageKind.CORRUPT_SKIPPED, log.toString(), address, size, type,
                            headOf(payload), e.getMessage()));
                    return;
                }
                handler.entry(new StoredEntry(record.stream(), record.entry(), address, body));
                entries++;
            }
            live++;
            liveBytes += size;
        }

        @Override
        public void damaged(Damage damage) {
            damages.add(damage);
            if (damage.kind() == DamageKind.CORRUPT_SKIPPED) {
                state.lost((int) (damage.address() - state.base), (int) damage.lostBytes());
            }
        }

        private static byte[] headOf(ByteBuffer payload) {
            byte[] head = new byte[Math.min(16, payload.remaining())];
            payload.duplicate().get(head);
            return head;
        }
    }
}
