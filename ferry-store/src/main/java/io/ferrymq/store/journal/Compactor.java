package io.ferrymq.store.journal;

import io.ferrymq.store.log.Damage;
import io.ferrymq.store.log.DamageKind;
import io.ferrymq.store.log.FramedRecord;
import io.ferrymq.store.log.LogWriter;
import io.ferrymq.store.log.ScanListener;
import io.ferrymq.store.log.SegmentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Owned by the writer thread: copies what a sparse sealed segment must keep to the head of the log, so that the
 * reclaim rule can delete it. Works in steps of about {@code stepBytes} read, one per forced batch, so appends
 * never wait behind a whole segment.
 *
 * <p>For each record of the segment:
 * <ul>
 *   <li>a live value is copied with a kill reference to itself: after a crash, replay sees the old copy killed by
 *       the new one, never both live;</li>
 *   <li>a record that kills something in another segment that still exists (a delete, a tombstone, a value that
 *       replaced an older one) has that obligation carried forward as a delete of the same target, or deleting
 *       this segment would resurrect the target.</li>
 * </ul>
 * A pass over the whole segment leaves nothing live and nothing pinned in it, so the next reclaim deletes it.
 */
final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final SegmentLog log;
    private final Ledger ledger;
    private final MetadataIndex metadata;
    private final Forwarding forwarding;
    private final double threshold;
    private final long stepBytes;
    private final ArrayDeque<Move> moves = new ArrayDeque<>();
    /** Segments compaction cannot empty (damaged): never tried again while open. */
    private final Set<Long> abandoned = new HashSet<>();
    private long current = -1;
    private long cursor;
    private long relocated;

    Compactor(SegmentLog log, Ledger ledger, MetadataIndex metadata, Forwarding forwarding, double threshold,
              long stepBytes) {
        this.log = log;
        this.ledger = ledger;
        this.metadata = metadata;
        this.forwarding = forwarding;
        this.threshold = threshold;
        this.stepBytes = stepBytes;
    }

    /** Does one step; returns false when there is nothing to compact. */
    boolean step(LogWriter writer) throws IOException {
        if (current >= 0 && ledger.stateAt(current) == null) {
            current = -1;
        }
        if (current < 0) {
            SegmentState candidate = ledger.compactionCandidate(writer.activeSegment(), threshold, abandoned);
            if (candidate == null) {
                return false;
            }
            current = candidate.base;
            cursor = SegmentLog.firstRecordOffset();
        }
        SegmentState state = ledger.stateAt(current);
        Copier copier = new Copier(writer, state);
        int firstMove = moves.size();
        cursor = log.scan(current, cursor, stepBytes, Long.MAX_VALUE, BatchRecords.unpacking(copier));
        // Forward old addresses only once the copies are readable by other threads.
        writer.flush();
        moves.stream().skip(firstMove).forEach(move -> forwarding.moved(move.from(), move.to()));
        if (copier.framingLost || cursor >= log.segmentSize(current)) {
            if (!state.reclaimable()) {
                LOG.warn("compaction could not empty segment {} of {} (damaged records stay counted live): it is "
                        + "kept", current, log);
                abandoned.add(current);
            }
            current = -1;
        }
        return true;
    }

    /** Moves whose copies lie below {@code durablePosition}, in order, removed from the queue. */
    void drainMoves(long durablePosition, RelocationListener listener) {
        while (!moves.isEmpty() && moves.peek().to() < durablePosition) {
            Move move = moves.poll();
            listener.relocated(move.stream(), move.entry(), move.from(), move.to());
        }
    }

    long relocated() {
        return relocated;
    }

    private final class Copier implements ScanListener {
        private final LogWriter writer;
        private final SegmentState state;
        boolean framingLost;

        Copier(LogWriter writer, SegmentState state) {
            this.writer = writer;
            this.state = state;
        }

        @Override
        public void record(long address, int size, byte type, byte flags, ByteBuffer payload) throws IOException {
            JournalRecord record = JournalCodec.decode(address, size, type, flags, payload);
            if (record.isValue() && !state.isDead((int) (address - state.base))) {
                relocate(record);
            }
            if (record.kills()) {
                carry(record);
            }
        }

        private void relocate(JournalRecord record) throws IOException {
            FramedRecord copy = JournalCodec.relocated(record);
            long to = writer.append(copy);
            long base = writer.segmentBase(to);
            ledger.value(base, to, copy.size());
            ledger.kill(base, 0, record.address(), record.size());
            if (record.isAdd()) {
                moves.add(new Move(record.stream(), record.entry(), record.address(), to));
            } else {
                metadata.put(new MetadataIndex.Ref(record.stream(), to, copy.size()));
            }
            relocated++;
        }

        private void carry(JournalRecord record) throws IOException {
            SegmentState target = ledger.holding(record.killAddress());
            if (target == null || target == state) {
                return;
            }
            FramedRecord delete = JournalCodec.delete(record.stream(), record.entry(), record.killAddress(),
                    record.killSize());
            long at = writer.append(delete);
            long base = writer.segmentBase(at);
            ledger.other(base, at, delete.size());
            ledger.kill(base, delete.size(), record.killAddress(), record.killSize());
            state.unpin(target.base, record.isValue() ? 0 : record.size());
        }

        @Override
        public void damaged(Damage damage) {
            LOG.error("compaction of {} found damage: {}", log, RecoveryReport.describe(damage));
            if (damage.kind() == DamageKind.CORRUPT_SKIPPED) {
                ledger.lost(damage.address(), damage.lostBytes());
            } else {
                framingLost = true;
            }
        }
    }
}
