package io.ferrymq.store.journal;

import io.ferrymq.store.Compression;
import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.StoreException;
import io.ferrymq.store.UnsupportedFormatException;
import io.ferrymq.store.file.DiskFiles;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.SimulatedDisk.Crash;
import io.ferrymq.store.log.DamageKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ferrymq.store.journal.Journals.SMALL;
import static io.ferrymq.store.journal.Recorder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentJournalTest {

    @Test
    void entriesAddedAndDeletedAreReplayedAfterACleanRestart(@TempDir Path dir) throws Exception {
        Map<Recorder.Key, Long> addresses = new HashMap<>();
        try (SegmentJournal journal = Journals.open(new DiskFiles(dir), SMALL, new Recorder())) {
            for (int i = 0; i < 300; i++) {
                long stream = i % 3;
                addresses.put(new Recorder.Key(stream, i),
                        journal.add(stream, i, body(i, 40 + i % 90), Durability.SYNC).join());
            }
            for (int i = 0; i < 300; i += 2) {
                journal.delete(i % 3, i, addresses.remove(new Recorder.Key(i % 3, i)), Durability.LAZY).join();
            }
            for (var entry : addresses.entrySet()) {
                assertThat(bytes(journal.read(entry.getValue())))
                        .isEqualTo(bytes(body((int) entry.getKey().entry(), 40 + (int) entry.getKey().entry() % 90)));
            }
        }

        Recorder recorder = new Recorder();
        try (SegmentJournal journal = Journals.open(new DiskFiles(dir), SMALL, recorder)) {
            assertThat(journal.recovery().cleanShutdown()).isTrue();
            assertThat(journal.recovery().scannedBytes()).isZero();
            assertThat(journal.recovery().damages()).isEmpty();
            assertThat(recorder.entries.keySet()).containsExactlyInAnyOrderElementsOf(addresses.keySet());
            recorder.entries.forEach((key, stored) -> {
                assertThat(bytes(stored.body())).isEqualTo(bytes(body((int) key.entry(), 40 + (int) key.entry() % 90)));
                assertThat(bytes(journal.read(stored.address()))).isEqualTo(bytes(stored.body()));
            });
            List<Long> replayOrder = recorder.entries.values().stream().map(Recorder.Stored::address).toList();
            assertThat(replayOrder).isSorted();
        }
    }

    @Test
    void aDeleteWithTheWrongAddressOrASecondDeleteIsRefused() throws Exception {
        try (SegmentJournal journal = Journals.open(new SimulatedDisk(1).mount(), SMALL, new Recorder())) {
            long first = journal.add(7, 1, body(1, 10), Durability.SYNC).join();
            long second = journal.add(7, 2, body(2, 10), Durability.SYNC).join();

            assertThatThrownBy(() -> journal.delete(7, 1, second, Durability.SYNC).join())
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not hold entry 1 of stream 7");
            assertThatThrownBy(() -> journal.delete(7, 1, 999_999, Durability.SYNC).join())
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            journal.delete(7, 1, first, Durability.SYNC).join();
            assertThatThrownBy(() -> journal.delete(7, 1, first, Durability.SYNC).join())
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already deleted");
            assertThat(bytes(journal.read(second))).isEqualTo(bytes(body(2, 10)));
        }
    }

    @Test
    void completedWritesSurviveACrashAndUnfinishedOnesMayNot() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(2);
        SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder());
        long kept = journal.add(1, 1, body(1, 100), Durability.SYNC).join();
        long deleted = journal.add(1, 2, body(2, 100), Durability.SYNC).join();
        journal.delete(1, 2, deleted, Durability.SYNC).join();
        journal.putMetadata(5, utf8("queue orders")).join();
        journal.add(1, 3, body(3, 100), Durability.LAZY).join();
        disk.crash(Crash.DROP_UNSYNCED);
        journal.close();

        Recorder recorder = new Recorder();
        try (SegmentJournal reopened = Journals.open(disk.mount(), SMALL, recorder)) {
            assertThat(reopened.recovery().cleanShutdown()).isFalse();
            assertThat(recorder.entries).containsOnlyKeys(new Recorder.Key(1, 1));
            assertThat(recorder.entries.get(new Recorder.Key(1, 1)).address()).isEqualTo(kept);
            assertThat(recorder.metadata).containsOnlyKeys(5L);
        }
    }

    @Test
    void metadataKeepsItsCurrentValueThroughReplacementRemovalAndRestarts() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(3);
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder())) {
            journal.putMetadata(1, utf8("exchange a v1")).join();
            journal.putMetadata(2, utf8("queue b")).join();
            journal.putMetadata(1, utf8("exchange a v2")).join();
            journal.putMetadata(3, utf8("binding c")).join();
            assertThat(journal.removeMetadata(3).join()).isTrue();
            assertThat(journal.removeMetadata(4).join()).isFalse();
        }
        Recorder recorder = new Recorder();
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, recorder)) {
            assertThat(recorder.metadata).containsOnlyKeys(1L, 2L);
            assertThat(recorder.metadata.get(1L)).isEqualTo(utf8("exchange a v2"));
            journal.putMetadata(2, utf8("queue b v2")).join();
            disk.crash(Crash.DROP_UNSYNCED);
        }
        Recorder afterCrash = new Recorder();
        Journals.open(disk.mount(), SMALL, afterCrash).close();
        assertThat(afterCrash.metadata).containsEntry(1L, utf8("exchange a v2")).containsEntry(2L, utf8("queue b v2"))
                .hasSize(2);
    }

    @Test
    void bodiesAreCompressedOnDiskAndReadBackUnchanged() throws Exception {
        for (Compression compression : Compression.values()) {
            SimulatedDisk disk = new SimulatedDisk(4);
            StoreConfig config = SMALL.withSegmentBytes(1 << 20).withCompression(compression, 4096);
            List<Long> addresses = new ArrayList<>();
            byte[] compressible = "all work and no play makes jack a dull boy. ".repeat(500)
                    .getBytes(StandardCharsets.UTF_8);
            try (SegmentJournal journal = Journals.open(disk.mount(), config, new Recorder())) {
                for (int i = 0; i < 10; i++) {
                    addresses.add(journal.add(1, i, ByteBuffer.wrap(compressible), Durability.SYNC).join());
                }
                addresses.add(journal.add(1, 10, ByteBuffer.wrap(new byte[100]), Durability.SYNC).join());
                for (long address : addresses.subList(0, 10)) {
                    assertThat(bytes(journal.read(address))).isEqualTo(compressible);
                }
                long disk10 = journal.stats().log().bytes();
                if (compression == Compression.NONE) {
                    assertThat(disk10).isGreaterThan(10L * compressible.length);
                } else {
                    assertThat(disk10).as(compression.name()).isLessThan(10L * compressible.length / 5);
                }
            }
            Recorder recorder = new Recorder();
            Journals.open(disk.mount(), SMALL.withCompression(Compression.NONE, 0), recorder).close();
            assertThat(recorder.entries).hasSize(11);
            for (int i = 0; i < 10; i++) {
                assertThat(bytes(recorder.entries.get(new Recorder.Key(1, i)).body())).isEqualTo(compressible);
            }
        }
    }

    @Test
    void incompressibleAndSmallBodiesAreStoredRaw() {
        BodyCodec codec = new BodyCodec(Compression.LZ4, 4096);
        byte[] random = new byte[10_000];
        new Random(5).nextBytes(random);
        EncodedBody incompressible = codec.encode(ByteBuffer.wrap(random));
        assertThat(incompressible.flags()).isZero();
        assertThat(bytes(incompressible.bytes())).isEqualTo(random);

        EncodedBody small = codec.encode(ByteBuffer.wrap(new byte[4095]));
        assertThat(small.flags()).isZero();
        EncodedBody large = codec.encode(ByteBuffer.wrap(new byte[4096]));
        assertThat(large.flags()).isEqualTo(JournalCodec.LZ4);
        assertThat(bytes(codec.decode(large.flags(), large.bytes(), 0))).isEqualTo(new byte[4096]);

        BodyCodec zstd = new BodyCodec(Compression.ZSTD, 1);
        EncodedBody packed = zstd.encode(ByteBuffer.wrap(new byte[5000]));
        assertThat(packed.flags()).isEqualTo(JournalCodec.ZSTD);
        // Reads follow the record's flags, whatever the configuration says now.
        assertThat(bytes(codec.decode(packed.flags(), packed.bytes(), 0))).isEqualTo(new byte[5000]);
    }

    @Test
    void segmentsOfDeletedEntriesAreReclaimed() throws Exception {
        try (SegmentJournal journal = Journals.open(new SimulatedDisk(6).mount(), SMALL, new Recorder())) {
            List<Long> addresses = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                addresses.add(journal.add(1, i, body(i, 100), Durability.SYNC).join());
            }
            assertThat(journal.stats().segments()).isGreaterThan(10);
            for (int i = 0; i < 400; i++) {
                journal.delete(1, i, addresses.get(i), Durability.LAZY);
            }
            JournalStats stats = Journals.quiesce(journal);
            assertThat(stats.liveValues()).isZero();
            assertThat(stats.segments()).isLessThanOrEqualTo(2);
            assertThat(stats.reclaimedSegments()).isGreaterThan(10);
        }
    }

    @Test
    void onARealDiskReclaimedSegmentsLeaveTheDirectoryInTheBackground(@TempDir Path dir) throws Exception {
        try (SegmentJournal journal = Journals.open(new DiskFiles(dir), SMALL, new Recorder())) {
            List<Long> added = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                added.add(journal.add(1, i, body(i, 300), Durability.SYNC).join());
            }
            for (int i = 0; i < 200; i++) {
                journal.delete(1, i, added.get(i), Durability.SYNC).join();
            }
            JournalStats stats = Journals.quiesce(journal);
            assertThat(stats.reclaimedSegments()).isPositive();
            // renamed out of the log at once (the deletion), the files themselves removed a slice at a time
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (fileNames(dir).stream().anyMatch(n -> n.endsWith(".deleted")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(fileNames(dir)).noneMatch(n -> n.endsWith(".deleted"));
            assertThat(fileNames(dir).stream().filter(n -> n.endsWith(".seg")).count()).isEqualTo(stats.segments());
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    @Test
    void aSegmentWhoseDeletesTargetAnOlderSegmentOutlivesItSoNothingIsResurrected() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(10);
        StoreConfig noCompaction = SMALL.withCompactionThreshold(0).withCompression(Compression.NONE, 0);
        try (SegmentJournal journal = Journals.open(disk.mount(), noCompaction, new Recorder())) {
            // Segment A (12 records of 326 bytes fill it): entries 0..11, all kept but entry 0.
            List<Long> a = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                a.add(journal.add(1, i, body(i, 300), Durability.SYNC).join());
            }
            // Segment B: entries 100..110 and the delete of entry 0; then B's own entries are deleted.
            long firstOfB = journal.add(1, 100, body(100, 300), Durability.SYNC).join();
            journal.delete(1, 0, a.get(0), Durability.SYNC).join();
            List<Long> b = new ArrayList<>(List.of(firstOfB));
            for (int i = 101; i <= 110; i++) {
                b.add(journal.add(1, i, body(i, 300), Durability.SYNC).join());
            }
            for (int i = 0; i <= 10; i++) {
                journal.delete(1, 100 + i, b.get(i), Durability.SYNC).join();
            }
            for (int i = 200; i < 230; i++) {
                journal.add(1, i, body(i, 300), Durability.SYNC).join();
            }
            Journals.quiesce(journal);
            // B holds nothing live, but deleting it would bring entry 0 back: it must stay while A does.
            List<Long> bases = disk.names().stream().filter(n -> n.endsWith(".seg"))
                    .map(n -> Long.parseLong(n.substring(0, 20))).sorted().toList();
            long baseOfB = bases.stream().filter(base -> base <= firstOfB).reduce((x, y) -> y).orElseThrow();
            assertThat(baseOfB).isGreaterThan(a.get(11));
        }
        disk.replace(CheckpointFiles.CHECKPOINT, new byte[0]);
        Recorder recorder = new Recorder();
        Journals.open(disk.mount(), noCompaction, recorder).close();
        assertThat(recorder.entries).doesNotContainKey(new Recorder.Key(1, 0));
        assertThat(recorder.entries).containsKey(new Recorder.Key(1, 1));
    }

    @Test
    void reclaimRoundsAreDurableInOrderEvenIfACrashKeepsOnlySomeDirectoryChanges() throws Exception {
        StoreConfig config = SMALL.withCompactionThreshold(0).withCompression(Compression.NONE, 0)
                .withCheckpointIntervalBytes(1L << 40);
        for (long seed = 0; seed < 12; seed++) {
            SimulatedDisk disk = new SimulatedDisk(seed);
            SegmentJournal journal = Journals.open(disk.mount(), config, new Recorder());
            // A: entries 0..11. B: the delete of entry 0, entries 100..110, their deletes. B is pinned by A.
            List<Long> a = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                a.add(journal.add(1, i, body(i, 300), Durability.SYNC).join());
            }
            List<Long> b = new ArrayList<>();
            for (int i = 100; i <= 110; i++) {
                b.add(journal.add(1, i, body(i, 300), Durability.SYNC).join());
                if (i == 100) {
                    journal.delete(1, 0, a.get(0), Durability.SYNC).join();
                }
            }
            for (int i = 0; i <= 10; i++) {
                journal.delete(1, 100 + i, b.get(i), Durability.SYNC).join();
            }
            journal.add(1, 999, body(999, 300), Durability.SYNC).join();
            // Emptying A releases A, then B: two rounds of deletions, then a crash.
            for (int i = 1; i < 12; i++) {
                journal.delete(1, i, a.get(i), Durability.SYNC).join();
            }
            while (journal.stats().reclaimedSegments() < 2) {
                journal.sync().join();
            }
            disk.crash(Crash.KEEP_RANDOM_PREFIX);
            journal.close();

            assertThat(disk.names()).doesNotContain(CheckpointFiles.CHECKPOINT);
            Recorder recorder = new Recorder();
            Journals.open(disk.mount(), config, recorder).close();
            assertThat(recorder.entries.keySet()).as("seed %d", seed).containsExactly(new Recorder.Key(1, 999));
        }
    }

    @Test
    void compactionMovesLiveEntriesForwardAndOldAddressesKeepWorking() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(7);
        Map<Long, Long> moved = new HashMap<>();
        Map<Long, Long> addresses = new HashMap<>();
        try (SegmentJournal journal = SegmentJournal.open(disk.mount(), SMALL, new Recorder(),
                (stream, entry, from, to) -> moved.put(entry, to))) {
            for (int i = 0; i < 500; i++) {
                addresses.put((long) i, journal.add(2, i, body(i, 120), Durability.SYNC).join());
            }
            // Keep every tenth entry: every old segment becomes sparse.
            for (int i = 0; i < 500; i++) {
                if (i % 10 != 0) {
                    journal.delete(2, i, addresses.remove((long) i), Durability.LAZY);
                }
            }
            JournalStats stats = Journals.quiesce(journal);
            assertThat(stats.relocated()).isPositive();
            assertThat(stats.reclaimedSegments()).isPositive();
            assertThat(moved).isNotEmpty();
            for (var entry : addresses.entrySet()) {
                assertThat(bytes(journal.read(entry.getValue()))).isEqualTo(bytes(body(entry.getKey().intValue(), 120)));
                Long now = moved.get(entry.getKey());
                if (now != null) {
                    assertThat(bytes(journal.read(now))).isEqualTo(bytes(body(entry.getKey().intValue(), 120)));
                }
            }
            // Deleting through an address from before the move works.
            long victim = moved.keySet().iterator().next();
            journal.delete(2, victim, addresses.remove(victim), Durability.SYNC).join();
        }
        Recorder recorder = new Recorder();
        Journals.open(disk.mount(), SMALL, recorder).close();
        assertThat(recorder.entries.keySet()).extracting(Recorder.Key::entry)
                .containsExactlyInAnyOrderElementsOf(addresses.keySet());
        recorder.entries.forEach((key, stored) ->
                assertThat(bytes(stored.body())).isEqualTo(bytes(body((int) key.entry(), 120))));
    }

    @Test
    void aCheckpointBoundsTheScanAfterACrashAndAgreesWithAFullScan() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(11);
        List<Long> addresses = new ArrayList<>();
        SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder());
        for (int i = 0; i < 600; i++) {
            addresses.add(journal.add(3, i, body(i, 150), Durability.SYNC).join());
            if (i % 3 == 0) {
                journal.delete(3, i, addresses.get(i), Durability.LAZY);
            }
        }
        journal.checkpoint().join();
        for (int i = 600; i < 620; i++) {
            journal.add(3, i, body(i, 150), Durability.SYNC).join();
        }
        // Checkpoints were also written on their own, every 32 KiB appended.
        assertThat(journal.stats().checkpoints()).isGreaterThan(2);
        disk.crash(Crash.KEEP_RANDOM_PREFIX);
        journal.close();

        SimulatedDisk withoutCheckpoint = disk.copyDurable(11);
        withoutCheckpoint.replace(CheckpointFiles.CHECKPOINT, new byte[0]);
        Recorder fullScan = new Recorder();
        try (SegmentJournal scanned = Journals.open(withoutCheckpoint.mount(), SMALL, fullScan)) {
            assertThat(scanned.recovery().checkpointPosition()).isZero();
        }
        Recorder fromCheckpoint = new Recorder();
        try (SegmentJournal recovered = Journals.open(disk.mount(), SMALL, fromCheckpoint)) {
            RecoveryReport report = recovered.recovery();
            assertThat(report.cleanShutdown()).isFalse();
            assertThat(report.checkpointPosition()).isPositive();
            assertThat(report.scannedBytes()).isLessThan(20 * 200);
        }
        assertThat(fromCheckpoint.entries).isEqualTo(fullScan.entries);
        assertThat(fromCheckpoint.entries).hasSize(400 + 20);
    }

    @Test
    void aFailedForceFailsTheAddSoThePublisherGetsANack() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(12);
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder())) {
            journal.add(1, 1, body(1, 10), Durability.SYNC).join();
            disk.failNextForces(1);
            assertThatThrownBy(() -> journal.add(1, 2, body(2, 10), Durability.SYNC).join())
                    .hasCauseInstanceOf(StoreException.class);
        }
        Recorder recorder = new Recorder();
        Journals.open(disk.mount(), SMALL, recorder).close();
        assertThat(recorder.entries).containsKey(new Recorder.Key(1, 1));
    }

    @Test
    void aCheckpointOfANewerFormatIsRefusedAndADamagedOneIgnored() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(8);
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder())) {
            journal.add(1, 1, body(1, 10), Durability.SYNC).join();
        }
        byte[] checkpoint = disk.bytes(CheckpointFiles.CHECKPOINT);

        byte[] damaged = checkpoint.clone();
        damaged[damaged.length - 9] ^= 1;
        disk.replace(CheckpointFiles.CHECKPOINT, damaged);
        Recorder recorder = new Recorder();
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, recorder)) {
            assertThat(journal.recovery().damages()).extracting(d -> d.kind())
                    .containsExactly(DamageKind.CORRUPT_CHECKPOINT);
            assertThat(journal.recovery().checkpointPosition()).isZero();
            assertThat(recorder.entries).hasSize(1);
        }

        byte[] newer = disk.bytes(CheckpointFiles.CHECKPOINT);
        newer[5] = 2;
        disk.replace(CheckpointFiles.CHECKPOINT, newer);
        assertThatThrownBy(() -> Journals.open(disk.mount(), SMALL, new Recorder()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("sim:checkpoint").hasMessageContaining("format version 2");
    }

    @Test
    void aCorruptEntryIsReportedWithItsStreamAndTheRestIsReplayed() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(9);
        List<Long> addresses = new ArrayList<>();
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, new Recorder())) {
            for (int i = 0; i < 5; i++) {
                addresses.add(journal.add(42, i, body(i, 50), Durability.SYNC).join());
            }
        }
        disk.flipBit("00000000000000000000.seg", addresses.get(2) + 40, 1);
        disk.replace(CheckpointFiles.CHECKPOINT, new byte[0]);
        Recorder recorder = new Recorder();
        try (SegmentJournal journal = Journals.open(disk.mount(), SMALL, recorder)) {
            var damage = journal.recovery().damages().stream().filter(d -> d.kind() == DamageKind.CORRUPT_SKIPPED)
                    .findFirst().orElseThrow();
            assertThat(damage.address()).isEqualTo(addresses.get(2));
            assertThat(RecoveryReport.stream(damage)).hasValue(42);
            assertThat(RecoveryReport.entry(damage)).hasValue(2);
            assertThat(RecoveryReport.describe(damage)).contains("add of stream 42, entry 2");
            assertThat(recorder.entries.keySet()).extracting(Recorder.Key::entry).containsExactly(0L, 1L, 3L, 4L);
            // The lost entry's segment stays consistent: the others can still be deleted.
            journal.delete(42, 3, addresses.get(3), Durability.SYNC).join();
        }
    }

    static ByteBuffer body(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 17 + i * 3);
        }
        return ByteBuffer.wrap(bytes);
    }

    static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
