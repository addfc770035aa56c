package io.ferrymq.store.journal;

import io.ferrymq.store.Compression;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.StoreFiles;

import java.io.IOException;

/** Opening journals in tests, and waiting until the writer's background work is done. */
final class Journals {

    /** 4 KiB segments (many of them, so reclaim and compaction run), LZ4 above 512 bytes, checkpoints often. */
    static final StoreConfig SMALL = new StoreConfig(4096, 4096, 256 * 1024, Compression.LZ4, 512, 0.5, 32 * 1024);

    private Journals() {
    }

    static SegmentJournal open(StoreFiles files, StoreConfig config, Recorder recorder) throws IOException {
        return SegmentJournal.open(files, config, recorder, RelocationListener.NONE);
    }

    /**
     * Syncs until compaction and reclaim have nothing left to do. Each sync runs one round of that work after its
     * force; a sync's future completes before its round, so the round has run once the next sync completes.
     */
    static JournalStats quiesce(Journal journal) {
        JournalStats last = null;
        int stable = 0;
        for (int i = 0; i < 10_000 && stable < 3; i++) {
            journal.sync().join();
            JournalStats now = journal.stats();
            boolean same = last != null && now.relocated() == last.relocated()
                    && now.reclaimedSegments() == last.reclaimedSegments() && now.segments() == last.segments();
            stable = same ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
