package io.ferrymq.store.journal;

import io.ferrymq.store.Durability;
import io.ferrymq.store.file.SimulatedDisk;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Under churn (entries added and deleted at random, a backlog kept), the disk holds about twice the live data. */
class DiskUsageTest {

    @Test
    void diskUseStaysWithinAboutTwiceTheLiveDataUnderChurn() throws Exception {
        Random random = new Random(31);
        record Live(long entry, long address) {
        }
        List<Live> live = new ArrayList<>();
        try (SegmentJournal journal = Journals.open(new SimulatedDisk(31).mount(), Journals.SMALL, new Recorder())) {
            long segmentBytes = Journals.SMALL.segmentBytes();
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 500; i++) {
                    boolean add = live.size() < 150 || (live.size() < 400 && random.nextBoolean());
                    if (add) {
                        byte[] body = new byte[40 + random.nextInt(400)];
                        random.nextBytes(body);
                        long entry = round * 1000L + i;
                        live.add(new Live(entry, journal.add(9, entry, ByteBuffer.wrap(body), Durability.SYNC).join()));
                    } else {
                        Live victim = live.remove(random.nextInt(live.size()));
                        journal.delete(9, victim.entry(), victim.address(), Durability.LAZY);
                    }
                }
                JournalStats stats = Journals.quiesce(journal);
                assertThat(stats.liveValues()).isEqualTo(live.size());
                // Twice the live bytes, plus the active segment and one being compacted.
                assertThat(stats.diskBytes()).as("round %d: %s", round, stats)
                        .isLessThanOrEqualTo(2 * stats.liveBytes() + 2 * segmentBytes);
            }
        }
    }
}
