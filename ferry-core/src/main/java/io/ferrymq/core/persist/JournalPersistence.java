package io.ferrymq.core.persist;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.DiskFiles;
import io.ferrymq.store.file.StoreFiles;
import io.ferrymq.core.stats.StoreStats;
import io.ferrymq.store.journal.Journal;
import io.ferrymq.store.journal.JournalStats;
import io.ferrymq.store.journal.RecoveryReport;
import io.ferrymq.store.journal.RelocationListener;
import io.ferrymq.store.journal.ReplayHandler;
import io.ferrymq.store.journal.SegmentJournal;
import io.ferrymq.store.journal.StoredEntry;
import io.ferrymq.store.log.Damage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Persistence} over a {@link Journal}: metadata as journal metadata, messages as journal entries added with
 * {@link Durability#SYNC} and deleted with {@link Durability#LAZY}.
 *
 * <p>A delete needs the entry's address, which its add only reports once written; a delete asked for earlier is
 * chained on the add and tracked until written, so that {@link #barrier()} can wait for it before its
 * {@code sync()}.
 */
public final class JournalPersistence implements Persistence {
    private static final Logger LOG = LoggerFactory.getLogger(JournalPersistence.class);

    private final Journal journal;
    private final AtomicLong keys;
    private final Set<CompletableFuture<Void>> chainedDeletes = ConcurrentHashMap.newKeySet();
    private final AtomicLong deletes = new AtomicLong();
    private volatile Recovered recovered;

    /**
     * @param recovered what the journal replayed when it opened; keys are handed out above every recovered key
     *                  and stream
     */
    public JournalPersistence(Journal journal, Recovered recovered) {
        this.journal = journal;
        this.recovered = recovered;
        long max = 0;
        for (RecoveredRecord record : recovered.records()) {
            max = Math.max(max, record.key());
        }
        for (RecoveredEntry entry : recovered.entries()) {
            max = Math.max(max, entry.stream());
        }
        this.keys = new AtomicLong(max);
    }

    /** Opens (or creates) the journal in directory {@code dir} and collects what it replays. */
    public static JournalPersistence open(Path dir, StoreConfig config) throws IOException {
        return open(new DiskFiles(dir), config);
    }

    /** Opens (or creates) the journal in {@code files} and collects what it replays. */
    public static JournalPersistence open(StoreFiles files, StoreConfig config) throws IOException {
        Collector collector = new Collector();
        SegmentJournal journal = SegmentJournal.open(files, config, collector, RelocationListener.NONE);
        RecoveryReport report = journal.recovery();
        for (Damage damage : report.damages()) {
            LOG.warn("store recovery: {}", RecoveryReport.describe(damage));
        }
        LOG.info("store opened: {} record(s) of topology, {} message(s), {} shutdown, {} byte(s) scanned",
                report.metadata(), report.entries(), report.cleanShutdown() ? "clean" : "unclean",
                report.scannedBytes());
        return new JournalPersistence(journal, new Recovered(collector.records, collector.entries));
    }

    public Journal journal() {
        return journal;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public long newKey() {
        return keys.incrementAndGet();
    }

    @Override
    public CompletableFuture<Void> put(long key, byte[] record) {
        try {
            return journal.putMetadata(key, ByteBuffer.wrap(record)).thenApply(address -> null);
        } catch (RuntimeException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    @Override
    public CompletableFuture<Void> remove(long key) {
        try {
            return journal.removeMetadata(key).thenApply(existed -> null);
        } catch (RuntimeException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    @Override
    public CompletableFuture<Long> add(long stream, long entry, byte[] payload) {
        try {
            return journal.add(stream, entry, ByteBuffer.wrap(payload), Durability.SYNC);
        } catch (RuntimeException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    @Override
    public void delete(long stream, long entry, CompletableFuture<Long> address) {
        deletes.incrementAndGet();
        if (address.isDone()) {
            if (!address.isCompletedExceptionally()) {
                try {
                    journal.delete(stream, entry, address.join(), Durability.LAZY)
                            .whenComplete((done, error) -> logFailure(stream, entry, error));
                } catch (RuntimeException closed) {
                    // the journal closed under a late settlement (shutdown): the entry stays and comes back
                    logFailure(stream, entry, closed);
                }
            }
            return;
        }
        CompletableFuture<Void> chained = new CompletableFuture<>();
        chainedDeletes.add(chained);
        address.whenComplete((at, addError) -> {
            if (addError != null) {
                chained.complete(null);
                return;
            }
            try {
                journal.delete(stream, entry, at, Durability.LAZY).whenComplete((done, error) -> {
                    logFailure(stream, entry, error);
                    chained.complete(null);
                });
            } catch (RuntimeException e) {
                logFailure(stream, entry, e);
                chained.complete(null);
            }
        });
        chained.whenComplete((done, error) -> chainedDeletes.remove(chained));
    }

    private static void logFailure(long stream, long entry, Throwable error) {
        if (error != null) {
            LOG.error("could not delete entry {} of stream {} from the store", entry, stream, error);
        }
    }

    @Override
    public long deletesRequested() {
        return deletes.get();
    }

    @Override
    public CompletableFuture<Void> barrier() {
        if (chainedDeletes.isEmpty()) {
            try {
                return journal.sync();
            } catch (RuntimeException closed) {
                return CompletableFuture.failedFuture(closed);
            }
        }
        CompletableFuture<?>[] pending = chainedDeletes.toArray(new CompletableFuture<?>[0]);
        return CompletableFuture.allOf(pending).thenCompose(done -> journal.sync());
    }

    @Override
    public StoreStats stats() {
        JournalStats stats = journal.stats();
        return new StoreStats(stats.log().fsyncs(), stats.log().records(), stats.log().bytes(), stats.segments(),
                stats.diskBytes());
    }

    @Override
    public Recovered takeRecovered() {
        Recovered taken = recovered;
        recovered = Recovered.EMPTY;
        return taken;
    }

    /** Waits for what was submitted, writes the clean-shutdown marker. */
    @Override
    public void close() {
        journal.close();
    }

    /** Copies what the journal replays (its buffers are only valid during the call). */
    private static final class Collector implements ReplayHandler {
        final List<RecoveredRecord> records = new ArrayList<>();
        final List<RecoveredEntry> entries = new ArrayList<>();

        @Override
        public void metadata(long key, ByteBuffer value) {
            records.add(new RecoveredRecord(key, copy(value)));
        }

        @Override
        public void entry(StoredEntry entry) {
            entries.add(new RecoveredEntry(entry.stream(), entry.entry(), entry.address(), copy(entry.body())));
        }

        private static byte[] copy(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
    }
}
