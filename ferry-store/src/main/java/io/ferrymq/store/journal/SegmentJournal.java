package io.ferrymq.store.journal;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.StoreException;
import io.ferrymq.store.file.StoreFiles;
import io.ferrymq.store.log.Damage;
import io.ferrymq.store.log.FramedRecord;
import io.ferrymq.store.log.LogRecord;
import io.ferrymq.store.log.LogStats;
import io.ferrymq.store.log.LogWriter;
import io.ferrymq.store.log.SegmentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Public methods on any thread, accounting (ledger, metadata index, compaction, checkpoints) owned by the log's
 * writer thread: the journal on a {@link SegmentLog}. Every write's bookkeeping happens in the same writer task
 * that appends it, so accounting and log order can never disagree.
 *
 * <p>After every forced batch the writer thread, while disk and memory agree, tells the relocation listener about
 * durable moves, deletes the segments the reclaim rule releases (a round per directory force), writes a checkpoint
 * if one is due or asked for, and runs one compaction step.
 */
public final class SegmentJournal implements Journal {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentJournal.class);

    private final SegmentLog log;
    private final StoreConfig config;
    private final BodyCodec bodies;
    private final CheckpointFiles checkpoints;
    private final RelocationListener relocations;
    private final RecoveryReport recovery;
    private final Forwarding forwarding = new Forwarding();
    private volatile boolean closed;
    private volatile JournalStats stats;

    // Writer-thread state.
    private final Ledger ledger;
    private final MetadataIndex metadata;
    private final Compactor compactor;
    private final List<CompletableFuture<Void>> checkpointWaiters = new ArrayList<>();
    private long lastCheckpoint;
    private boolean closing;
    private long reclaimed;
    private long checkpointsWritten;

    private SegmentJournal(SegmentLog log, StoreConfig config, BodyCodec bodies, CheckpointFiles checkpoints,
                           RelocationListener relocations, JournalRecovery.Recovered recovered, long position) {
        this.log = log;
        this.config = config;
        this.bodies = bodies;
        this.checkpoints = checkpoints;
        this.relocations = relocations;
        this.recovery = recovered.report();
        this.ledger = recovered.ledger();
        this.metadata = recovered.metadata();
        this.compactor = new Compactor(log, ledger, metadata, forwarding, config.compactionThreshold(),
                config.syncBytes());
        this.lastCheckpoint = position;
    }

    /**
     * Opens (or creates) the journal in {@code files}: recovers, replays every live record to {@code replay} on
     * this thread, and starts the writer.
     *
     * @throws io.ferrymq.store.UnsupportedFormatException if a file was written by a newer format version
     * @throws IOException                                   if the directory cannot be read or repaired
     */
    public static SegmentJournal open(StoreFiles files, StoreConfig config, ReplayHandler replay,
                                      RelocationListener relocations) throws IOException {
        List<Damage> damages = new ArrayList<>();
        SegmentLog log = SegmentLog.open(files, config, damages);
        try {
            BodyCodec bodies = new BodyCodec(config.compression(), config.compressionThreshold());
            CheckpointFiles checkpoints = new CheckpointFiles(files);
            JournalRecovery.Recovered recovered = new JournalRecovery(log, checkpoints, bodies, replay, damages).run();
            checkpoints.clearClean();
            long position = recovered.report().checkpointPosition();
            SegmentJournal journal = new SegmentJournal(log, config, bodies, checkpoints, relocations, recovered,
                    position);
            List<Long> bases = log.segmentBases();
            journal.reclaim(bases.isEmpty() ? -1 : bases.get(bases.size() - 1));
            journal.publishStats();
            log.start(journal::afterSync);
            // A first forced batch lets the writer thread look for compaction work left from the last run.
            journal.log.sync();
            return journal;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Long> add(long stream, long entry, ByteBuffer body, Durability durability) {
        ensureOpen();
        FramedRecord record = JournalCodec.add(stream, entry, bodies.encode(body));
        return log.submit(writer -> {
            long address = writer.append(record);
            ledger.value(writer.segmentBase(address), address, record.size());
            return address;
        }, durability);
    }

    @Override
    public CompletableFuture<Void> delete(long stream, long entry, long address, Durability durability) {
        ensureOpen();
        Target checked;
        try {
            checked = locate(stream, entry, address);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return log.submit(writer -> {
            long target = forwarding.resolve(address);
            int targetSize = target == checked.address() ? checked.size() : entrySize(stream, entry, target);
            if (ledger.isDead(target)) {
                throw new IllegalArgumentException("entry " + entry + " of stream " + stream + " at position "
                        + target + " is already deleted");
            }
            FramedRecord record = JournalCodec.delete(stream, entry, target, targetSize);
            long at = writer.append(record);
            long base = writer.segmentBase(at);
            ledger.other(base, at, record.size());
            ledger.kill(base, record.size(), target, targetSize);
            forwarding.deleted(target);
            return null;
        }, durability);
    }

    @Override
    public CompletableFuture<long[]> writeBatch(List<BatchOp> ops) {
        ensureOpen();
        if (ops.isEmpty()) {
            return log.sync().thenApply(done -> new long[0]);
        }
        // Caller's thread: compress and frame the adds, check the deletes' targets.
        FramedRecord[] adds = new FramedRecord[ops.size()];
        Target[] checked = new Target[ops.size()];
        try {
            for (int i = 0; i < ops.size(); i++) {
                BatchOp op = ops.get(i);
                if (op instanceof BatchOp.Add add) {
                    adds[i] = JournalCodec.add(add.stream(), add.entry(), bodies.encode(add.body()));
                } else if (op instanceof BatchOp.Delete delete) {
                    checked[i] = locate(delete.stream(), delete.entry(), delete.address());
                }
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return log.submit(writer -> {
            // Every check before the append: a task that throws must not have written anything.
            List<FramedRecord> inner = new ArrayList<>(ops.size());
            long[] targets = new long[ops.size()];
            int[] targetSizes = new int[ops.size()];
            Set<Long> killed = new HashSet<>();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i) instanceof BatchOp.Delete delete) {
                    long target = forwarding.resolve(delete.address());
                    int size = target == checked[i].address() ? checked[i].size()
                            : entrySize(delete.stream(), delete.entry(), target);
                    if (ledger.isDead(target) || !killed.add(target)) {
                        throw new IllegalArgumentException("entry " + delete.entry() + " of stream "
                                + delete.stream() + " at position " + target + " is already deleted");
                    }
                    targets[i] = target;
                    targetSizes[i] = size;
                    inner.add(JournalCodec.delete(delete.stream(), delete.entry(), target, size));
                } else {
                    inner.add(adds[i]);
                }
            }
            long at = writer.append(BatchRecords.frame(inner));
            long base = writer.segmentBase(at);
            long[] addresses = new long[ops.size()];
            long innerAt = at + BatchRecords.FIRST_INNER;
            for (int i = 0; i < ops.size(); i++) {
                FramedRecord record = inner.get(i);
                if (ops.get(i) instanceof BatchOp.Delete) {
                    ledger.other(base, innerAt, record.size());
                    ledger.kill(base, record.size(), targets[i], targetSizes[i]);
                    forwarding.deleted(targets[i]);
                    addresses[i] = targets[i];
                } else {
                    ledger.value(base, innerAt, record.size());
                    addresses[i] = innerAt;
                }
                innerAt += record.size();
            }
            return addresses;
        }, Durability.SYNC);
    }

    /** Where an entry is now and its framed size. */
    private record Target(long address, int size) {
    }

    /** Finds the entry an owner's address stands for now, checking it is entry {@code entry} of {@code stream}. */
    private Target locate(long stream, long entry, long address) {
        long resolved = forwarding.resolve(address);
        while (true) {
            try {
                return new Target(resolved, entrySize(stream, entry, resolved));
            } catch (IllegalArgumentException e) {
                // Compaction may have moved the entry and deleted the old segment between resolve and read.
                long again = forwarding.resolve(address);
                if (again == resolved) {
                    throw e;
                }
                resolved = again;
            }
        }
    }

    /** The framed size of the add at {@code address}, after checking that it is entry {@code entry} of stream. */
    private int entrySize(long stream, long entry, long address) {
        LogRecord head;
        try {
            head = log.peek(address, JournalCodec.KEY_BYTES);
        } catch (StoreException e) {
            throw new IllegalArgumentException("entry " + entry + " of stream " + stream + " cannot be at position "
                    + address + ": " + e.getMessage(), e);
        }
        ByteBuffer key = head.payload();
        if (head.type() != JournalCodec.ADD || key.remaining() < JournalCodec.KEY_BYTES
                || key.getLong(0) != stream || key.getLong(8) != entry) {
            throw new IllegalArgumentException("position " + address + " does not hold entry " + entry
                    + " of stream " + stream + ": the caller's address is wrong");
        }
        return head.size();
    }

    @Override
    public ByteBuffer read(long address) {
        long resolved = forwarding.resolve(address);
        LogRecord stored;
        try {
            stored = log.read(resolved);
        } catch (StoreException e) {
            // Compaction may have moved the entry and deleted the old segment between resolve and read.
            long again = forwarding.resolve(address);
            if (again == resolved) {
                throw e;
            }
            stored = log.read(again);
        }
        JournalRecord record = JournalCodec.decode(stored.address(), stored.size(), stored.type(), stored.flags(),
                stored.payload());
        if (!record.isAdd()) {
            throw new StoreException("position " + address + " holds a " + JournalCodec.typeName(record.type())
                    + " record, not an entry: the caller's address is wrong");
        }
        return bodies.decode(record.flags(), record.body(), stored.address());
    }

    @Override
    public CompletableFuture<Long> putMetadata(long key, ByteBuffer value) {
        ensureOpen();
        EncodedBody encoded = bodies.encode(value);
        return log.submit(writer -> {
            MetadataIndex.Ref previous = metadata.get(key);
            FramedRecord record = previous == null
                    ? JournalCodec.metadata(key, -1, 0, encoded)
                    : JournalCodec.metadata(key, previous.address(), previous.size(), encoded);
            long address = writer.append(record);
            long base = writer.segmentBase(address);
            ledger.value(base, address, record.size());
            if (previous != null) {
                ledger.kill(base, 0, previous.address(), previous.size());
            }
            metadata.put(new MetadataIndex.Ref(key, address, record.size()));
            return address;
        }, Durability.SYNC);
    }

    @Override
    public CompletableFuture<Boolean> removeMetadata(long key) {
        ensureOpen();
        return log.submit(writer -> {
            MetadataIndex.Ref previous = metadata.remove(key);
            if (previous == null) {
                return false;
            }
            FramedRecord record = JournalCodec.tombstone(key, previous.address(), previous.size());
            long address = writer.append(record);
            long base = writer.segmentBase(address);
            ledger.other(base, address, record.size());
            ledger.kill(base, record.size(), previous.address(), previous.size());
            return true;
        }, Durability.SYNC);
    }

    @Override
    public CompletableFuture<Void> sync() {
        ensureOpen();
        return log.sync();
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        ensureOpen();
        return requestCheckpoint(false);
    }

    /** Asks the writer thread for a checkpoint (and the clean marker) right after the next force. */
    private CompletableFuture<Void> requestCheckpoint(boolean clean) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        log.submit(writer -> {
            closing |= clean;
            checkpointWaiters.add(done);
            return null;
        }, Durability.SYNC).whenComplete((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    @Override
    public JournalStats stats() {
        JournalStats last = stats;
        LogStats now = log.stats();
        return new JournalStats(now, last.segments(), last.diskBytes(), last.liveValues(), last.liveBytes(),
                last.relocated(), last.reclaimedSegments(), last.checkpoints());
    }

    @Override
    public RecoveryReport recovery() {
        return recovery;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            requestCheckpoint(true).join();
        } catch (CompletionException e) {
            LOG.warn("the store in {} could not shut down cleanly ({}): the next start scans from the last "
                    + "checkpoint", log, e.getCause().toString());
        }
        log.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store journal in " + log + " is closed");
        }
    }

    /** The writer thread's work between batches; see the class comment. */
    private void afterSync(LogWriter writer, long durable) throws IOException {
        compactor.drainMoves(durable, relocations);
        reclaim(writer.activeSegment());
        if (!checkpointWaiters.isEmpty() || durable - lastCheckpoint >= config.checkpointIntervalBytes()) {
            writeCheckpoint(durable);
        }
        if (!closing && compactor.step(writer)) {
            writer.requestSync();
        }
        publishStats();
    }

    /** Deletes what the reclaim rule releases, a round at a time: a round's deletions are durable before the next. */
    private void reclaim(long activeBase) throws IOException {
        List<Long> bases;
        while (!(bases = ledger.reclaimable(activeBase)).isEmpty()) {
            for (long base : bases) {
                log.deleteSegment(base);
            }
            log.syncDirectory();
            for (long base : bases) {
                ledger.remove(base);
            }
            reclaimed += bases.size();
        }
    }

    private void writeCheckpoint(long position) {
        List<CompletableFuture<Void>> waiters = new ArrayList<>(checkpointWaiters);
        checkpointWaiters.clear();
        // Segments that hold no record yet (a fresh active segment) have no state until now; list them too.
        ledger.retain(log.segmentBases(), SegmentLog.firstRecordOffset());
        try {
            checkpoints.write(CheckpointCodec.encode(position, ledger, metadata));
            if (closing) {
                checkpoints.markClean(position);
            }
            lastCheckpoint = position;
            checkpointsWritten++;
            waiters.forEach(waiter -> waiter.complete(null));
        } catch (IOException e) {
            // The previous checkpoint is still whole (the new one replaces it atomically): recovery just scans more.
            LOG.warn("writing a checkpoint of {} failed ({}): the previous one stays in use", log, e.toString());
            StoreException failure = new StoreException("writing a checkpoint of " + log + " failed: " + e, e);
            waiters.forEach(waiter -> waiter.completeExceptionally(failure));
        }
    }

    private void publishStats() {
        stats = new JournalStats(log.stats(), log.segmentBases().size(), log.diskBytes(), ledger.liveValues(),
                ledger.liveBytes(), compactor.relocated(), reclaimed, checkpointsWritten);
    }
}
