package io.ferrymq.core.persist;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.DiskFiles;
import io.ferrymq.store.file.StoreFiles;
import io.ferrymq.core.stats.StoreStats;
import io.ferrymq.store.journal.BatchOp;
import io.ferrymq.store.journal.Journal;
import io.ferrymq.store.journal.JournalStats;
import io.ferrymq.store.journal.RecoveryReport;
import io.ferrymq.store.journal.RelocationListener;
import io.ferrymq.store.journal.ReplayHandler;
import io.ferrymq.store.journal.SegmentJournal;
import io.ferrymq.store.journal.StoredEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final StoreFiles files;
    private final StoreConfig config;
    /** Keys handed out: above every key and stream recovered. */
    private final AtomicLong keys = new AtomicLong();
    private final Set<CompletableFuture<Void>> chainedDeletes = ConcurrentHashMap.newKeySet();
    private final AtomicLong deletes = new AtomicLong();
    private volatile Journal journal;

    private JournalPersistence(StoreFiles files, StoreConfig config) {
        this.files = files;
        this.config = config;
    }

    /** The store in directory {@code dir} (created if missing); opened (and replayed) by {@link #recover}. */
    public static JournalPersistence at(Path dir, StoreConfig config) {
        try {
            return new JournalPersistence(new DiskFiles(dir), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The store in {@code files}; opened (and replayed) by {@link #recover}. */
    public static JournalPersistence at(StoreFiles files, StoreConfig config) {
        return new JournalPersistence(files, config);
    }

    @Override
    public void recover(RecoveryHandler handler) {
        if (journal != null) {
            throw new IllegalStateException("the store is open already");
        }
        SegmentJournal opened;
        try {
            opened = SegmentJournal.open(files, config, new Replay(handler), RelocationListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RecoveryReport report = opened.recovery();
        LOG.info("store opened: {} record(s) of topology, {} message(s), {} shutdown, {} byte(s) scanned",
                report.metadata(), report.entries(), report.cleanShutdown() ? "clean" : "unclean",
                report.scannedBytes());
        journal = opened;
        handler.end();
    }

    /** The open journal; only after {@link #recover}. */
    public Journal journal() {
        Journal open = journal;
        if (open == null) {
            throw new IllegalStateException("the store is not open: recover() opens it");
        }
        return open;
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
            return journal().putMetadata(key, ByteBuffer.wrap(record)).thenApply(address -> null);
        } catch (RuntimeException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    @Override
    public CompletableFuture<Void> remove(long key) {
        try {
            return journal().removeMetadata(key).thenApply(existed -> null);
        } catch (RuntimeException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    @Override
    public CompletableFuture<Long> add(long stream, long entry, byte[] payload) {
        try {
            return journal().add(stream, entry, ByteBuffer.wrap(payload), Durability.SYNC);
        } catch (RuntimeException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    @Override
    public CompletableFuture<long[]> writeAtomically(List<StoredChange> changes) {
        // A delete needs its add's address: wait for the adds still being written (a failed one included).
        CompletableFuture<?>[] adds = changes.stream()
                .filter(StoredChange.Delete.class::isInstance)
                .map(change -> ((StoredChange.Delete) change).address().handle((at, error) -> null))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(adds).thenCompose(ready -> {
            List<BatchOp> ops = new ArrayList<>(changes.size());
            int[] addOp = new int[changes.size()];
            for (int i = 0; i < changes.size(); i++) {
                addOp[i] = -1;
                if (changes.get(i) instanceof StoredChange.Add add) {
                    addOp[i] = ops.size();
                    ops.add(new BatchOp.Add(add.stream(), add.entry(), ByteBuffer.wrap(add.payload())));
                } else if (changes.get(i) instanceof StoredChange.Delete delete
                        && !delete.address().isCompletedExceptionally()) {
                    ops.add(new BatchOp.Delete(delete.stream(), delete.entry(), delete.address().join()));
                    deletes.incrementAndGet();
                }
            }
            return journal().writeBatch(ops).thenApply(written -> {
                long[] addresses = new long[changes.size()];
                for (int i = 0; i < addresses.length; i++) {
                    addresses[i] = addOp[i] < 0 ? -1 : written[addOp[i]];
                }
                return addresses;
            });
        });
    }

    @Override
    public ByteBuffer read(long address) {
        return journal().read(address);
    }

    @Override
    public void delete(long stream, long entry, CompletableFuture<Long> address) {
        deletes.incrementAndGet();
        if (address.isDone()) {
            if (!address.isCompletedExceptionally()) {
                try {
                    journal().delete(stream, entry, address.join(), Durability.LAZY)
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
                journal().delete(stream, entry, at, Durability.LAZY).whenComplete((done, error) -> {
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
                return journal().sync();
            } catch (RuntimeException closed) {
                return CompletableFuture.failedFuture(closed);
            }
        }
        CompletableFuture<?>[] pending = chainedDeletes.toArray(new CompletableFuture<?>[0]);
        return CompletableFuture.allOf(pending).thenCompose(done -> journal().sync());
    }

    @Override
    public StoreStats stats() {
        Journal open = journal;
        if (open == null) {
            return StoreStats.NONE;
        }
        JournalStats stats = open.stats();
        return new StoreStats(stats.log().fsyncs(), stats.log().records(), stats.log().bytes(), stats.segments(),
                stats.diskBytes());
    }

    /** Waits for what was submitted, writes the clean-shutdown marker; nothing to do when never opened. */
    @Override
    public void close() {
        Journal open = journal;
        if (open != null) {
            open.close();
        }
    }

    /** Hands what the journal replays to the broker's handler, noting the highest key in use. */
    private final class Replay implements ReplayHandler {
        private final RecoveryHandler handler;

        Replay(RecoveryHandler handler) {
            this.handler = handler;
        }

        @Override
        public void metadata(long key, ByteBuffer value) {
            keys.accumulateAndGet(key, Math::max);
            handler.record(key, value);
        }

        @Override
        public void entry(StoredEntry entry) {
            keys.accumulateAndGet(entry.stream(), Math::max);
            handler.entry(entry.stream(), entry.entry(), entry.address(), entry.body());
        }
    }
}
