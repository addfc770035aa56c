package io.ferrymq.store.journal;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.SimulatedDisk.Crash;
import io.ferrymq.store.file.StoreFile;
import io.ferrymq.store.file.StoreFiles;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static io.ferrymq.store.journal.Journals.SMALL;
import static io.ferrymq.store.journal.Recorder.bytes;
import static io.ferrymq.store.journal.SegmentJournalTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Journal#writeBatch}: several adds and deletes, across streams, durable as one unit or not at all. */
class BatchTest {

    /** One big segment, no periodic checkpoint: the whole log is one file a test can cut anywhere. */
    private static final StoreConfig ONE_SEGMENT = SMALL.withSegmentBytes(1 << 20)
            .withCheckpointIntervalBytes(1L << 40);
    private static final String FIRST_SEGMENT = "00000000000000000000.seg";

    @Test
    void aBatchAcrossStreamsIsReadableAndSurvivesACrash() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(41);
        long[] inputs = new long[2];
        SegmentJournal journal = Journals.open(disk.mount(), ONE_SEGMENT, new Recorder());
        inputs[0] = journal.add(9, 0, body(0, 30), Durability.SYNC).join();
        inputs[1] = journal.add(9, 1, body(1, 30), Durability.SYNC).join();
        long[] written = journal.writeBatch(List.of(
                new BatchOp.Add(1, 100, body(100, 50)),
                new BatchOp.Add(2, 100, body(200, 900)),
                new BatchOp.Delete(9, 0, inputs[0]),
                new BatchOp.Add(3, 100, body(300, 70)))).join();
        assertThat(written[2]).isEqualTo(inputs[0]);
        assertThat(bytes(journal.read(written[0]))).isEqualTo(bytes(body(100, 50)));
        assertThat(bytes(journal.read(written[1]))).isEqualTo(bytes(body(200, 900)));
        assertThat(bytes(journal.read(written[3]))).isEqualTo(bytes(body(300, 70)));
        disk.crash(Crash.DROP_UNSYNCED);
        journal.close();

        Recorder recorder = new Recorder();
        try (SegmentJournal reopened = Journals.open(disk.mount(), ONE_SEGMENT, recorder)) {
            assertThat(recorder.entries.keySet()).containsExactlyInAnyOrder(new Recorder.Key(9, 1),
                    new Recorder.Key(1, 100), new Recorder.Key(2, 100), new Recorder.Key(3, 100));
            assertThat(recorder.entries.get(new Recorder.Key(2, 100)).address()).isEqualTo(written[1]);
            assertThat(bytes(recorder.entries.get(new Recorder.Key(2, 100)).body())).isEqualTo(bytes(body(200, 900)));
            // an entry written in a batch is deleted like any other
            reopened.delete(2, 100, written[1], Durability.SYNC).join();
            reopened.writeBatch(List.of(new BatchOp.Delete(1, 100, written[0]))).join();
        }
        Recorder again = new Recorder();
        Journals.open(disk.mount(), ONE_SEGMENT, again).close();
        assertThat(again.entries.keySet()).containsExactlyInAnyOrder(new Recorder.Key(9, 1), new Recorder.Key(3, 100));
    }

    @Test
    void aBatchWithOneBadDeleteWritesNothing() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(42);
        try (SegmentJournal journal = Journals.open(disk.mount(), ONE_SEGMENT, new Recorder())) {
            long input = journal.add(9, 0, body(0, 30), Durability.SYNC).join();
            journal.delete(9, 0, input, Durability.SYNC).join();
            long other = journal.add(9, 1, body(1, 30), Durability.SYNC).join();
            long before = journal.stats().log().records();

            assertThatThrownBy(() -> journal.writeBatch(List.of(new BatchOp.Add(1, 5, body(5, 10)),
                    new BatchOp.Delete(9, 0, input))).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> journal.writeBatch(List.of(new BatchOp.Delete(9, 1, other),
                    new BatchOp.Delete(9, 1, other))).join())
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> journal.writeBatch(List.of(new BatchOp.Delete(9, 7, other))).join())
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(journal.stats().log().records()).isEqualTo(before);
        }
        Recorder recorder = new Recorder();
        Journals.open(disk.mount(), ONE_SEGMENT, recorder).close();
        assertThat(recorder.entries.keySet()).containsExactly(new Recorder.Key(9, 1));
    }

    /**
     * The log cut at every byte of a batch (a torn write at a crash): recovery finds the whole batch, or nothing
     * of it, never some of its adds or deletes.
     */
    @Test
    void aBatchTornAtEveryByteIsEitherWhollyThereOrWhollyAbsent() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(43);
        long batchStart;
        try (SegmentJournal journal = Journals.open(disk.mount(), ONE_SEGMENT, new Recorder())) {
            long[] inputs = new long[4];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = journal.add(9, i, body(i, 40), Durability.SYNC).join();
            }
            long[] written = journal.writeBatch(List.of(
                    new BatchOp.Add(1, 1, body(11, 60)),
                    new BatchOp.Delete(9, 0, inputs[0]),
                    new BatchOp.Add(2, 1, body(12, 600)),
                    new BatchOp.Add(3, 1, body(13, 60)),
                    new BatchOp.Delete(9, 1, inputs[1]))).join();
            batchStart = written[0] - BatchRecords.FIRST_INNER;
        }
        byte[] image = disk.bytes(FIRST_SEGMENT);
        Set<Recorder.Key> before = Set.of(key(9, 0), key(9, 1), key(9, 2), key(9, 3));
        Set<Recorder.Key> after = Set.of(key(9, 2), key(9, 3), key(1, 1), key(2, 1), key(3, 1));

        for (int cut = (int) batchStart; cut <= image.length; cut++) {
            SimulatedDisk torn = diskWith(FIRST_SEGMENT, Arrays.copyOf(image, cut));
            Recorder recorder = new Recorder();
            try (SegmentJournal journal = Journals.open(torn.mount(), ONE_SEGMENT, recorder)) {
                assertThat(recorder.entries.keySet()).as("log cut at byte %d of %d", cut, image.length)
                        .containsExactlyInAnyOrderElementsOf(cut == image.length ? after : before);
                // the store goes on where the whole records end
                journal.add(5, 1, body(5, 5), Durability.SYNC).join();
            }
        }
    }

    /** Batches under churn in small segments: reclaim and compaction keep working, and a restart agrees. */
    @Test
    void batchesUnderChurnAreCompactedAndReclaimed() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(44);
        Random random = new Random(44);
        Map<Recorder.Key, Long> live = new HashMap<>();
        JournalStats stats;
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder())) {
            long entry = 0;
            for (int round = 0; round < 400; round++) {
                List<BatchOp> ops = new ArrayList<>();
                List<Recorder.Key> added = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    Recorder.Key key = key(1 + random.nextInt(3), entry++);
                    int length = 20 + random.nextInt(300);
                    ops.add(new BatchOp.Add(key.stream(), key.entry(), body((int) key.entry(), length)));
                    added.add(key);
                }
                Set<Recorder.Key> deleted = new HashSet<>();
                for (Recorder.Key key : new ArrayList<>(live.keySet())) {
                    if (random.nextInt(3) == 0 && deleted.add(key)) {
                        ops.add(new BatchOp.Delete(key.stream(), key.entry(), live.get(key)));
                    }
                }
                long[] written = journal.writeBatch(ops).join();
                deleted.forEach(live::remove);
                for (int i = 0; i < added.size(); i++) {
                    live.put(added.get(i), written[i]);
                }
            }
            stats = Journals.quiesce(journal);
            for (var entryAt : live.entrySet()) {
                assertThat(journal.read(entryAt.getValue()).remaining()).isPositive();
            }
        }
        assertThat(stats.reclaimedSegments()).isPositive();
        assertThat(stats.relocated()).isPositive();

        disk.crash(Crash.DROP_UNSYNCED);
        Recorder recorder = new Recorder();
        Journals.open(disk.mount(), SMALL.withCheckpointIntervalBytes(1L << 40), recorder).close();
        assertThat(recorder.entries.keySet()).containsExactlyInAnyOrderElementsOf(live.keySet());
    }

    private static Recorder.Key key(long stream, long entry) {
        return new Recorder.Key(stream, entry);
    }

    private static SimulatedDisk diskWith(String name, byte[] content) throws Exception {
        SimulatedDisk disk = new SimulatedDisk(0);
        StoreFiles files = disk.mount();
        try (StoreFile file = files.open(name, true)) {
            file.write(ByteBuffer.wrap(content), 0);
            file.force();
        }
        files.syncDirectory();
        return disk;
    }
}
