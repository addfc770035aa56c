package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.DiskFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ferrymq.store.log.LogFixture.SMALL;
import static io.ferrymq.store.log.LogFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segments written into preallocated, zero-filled files on a real disk (a temporary directory): rolls, clean
 * close, and the files a crash leaves (a zero tail after the last forced record, a torn record before the zeros, a
 * prepared file no roll took, a deleted segment's file not yet removed), copied while the log is still open, as a kill -9 would leave them.
 */
class PreallocatedSegmentTest {

    private static final int SEGMENT = 64 * 1024;
    private static final StoreConfig CONFIG = SMALL.withSegmentBytes(SEGMENT);

    @TempDir
    Path dir;

    @Test
    void rollsUseThePreparedFileAndReopenSeesEveryRecord() throws Exception {
        Path live = dir.resolve("live");
        LogFixture fixture = new LogFixture(new DiskFiles(live), CONFIG);
        awaitPrepared(fixture.log);
        // the first append rolls the new log's plain first segment over to the prepared file
        List<Long> addresses = new ArrayList<>();
        addresses.add(append(fixture.log, 0));
        long preallocatedBase = fixture.log.segmentBases().get(1);
        assertThat(fileLength(live, preallocatedBase)).isEqualTo(SEGMENT);
        awaitPrepared(fixture.log);
        for (int i = 1; fixture.log.segmentBases().size() < 3; i++) {
            addresses.add(append(fixture.log, i));
        }
        List<Long> bases = fixture.log.segmentBases();
        // the sealed segment was cut to its records' end; the new active one is the prepared file, renamed
        assertThat(fileLength(live, bases.get(1))).isEqualTo(fixture.log.segmentSize(bases.get(1)));
        assertThat(fileLength(live, bases.get(2))).isEqualTo(SEGMENT);
        assertThat(fixture.log.segmentSize(bases.get(2))).isLessThan(SEGMENT);
        for (long address : addresses) {
            assertThat(fixture.log.read(address).payload().remaining()).isEqualTo(payload(0, 300).length);
        }
        fixture.log.close();

        // a clean close leaves every file ending at its records, and no prepared file
        assertThat(names(live)).noneMatch(n -> n.endsWith(SegmentNames.PREPARED_SUFFIX));
        LogFixture reopened = new LogFixture(new DiskFiles(live), CONFIG);
        assertThat(reopened.damages).isEmpty();
        assertThat(reopened.records).extracting(LogFixture.Scanned::address).containsExactlyElementsOf(addresses);
        for (long base : reopened.log.segmentBases()) {
            assertThat(fileLength(live, base)).isEqualTo(reopened.log.segmentSize(base));
        }
        reopened.log.close();
    }

    @Test
    void aZeroTailAfterTheLastForcedRecordIsACleanEndAndAppendsContinueIntoIt() throws Exception {
        Crashed crashed = crashWithForcedRecords(dir.resolve("live"), dir.resolve("crashed"));
        SegmentLog.open(new DiskFiles(crashed.dir), CONFIG, new ArrayList<>()).close();
        assertThat(names(crashed.dir)).as("the stray prepared file is deleted at open")
                .doesNotContain(SegmentNames.PREPARED);
        assertThat(names(crashed.dir)).as("so is a deleted segment's file the crash kept from going")
                .noneMatch(n -> n.endsWith(SegmentNames.DELETED_SUFFIX));

        LogFixture recovered = new LogFixture(new DiskFiles(crashed.dir), CONFIG);
        assertThat(recovered.damages).isEmpty();
        assertThat(recovered.records).extracting(LogFixture.Scanned::address)
                .containsExactlyElementsOf(crashed.addresses);
        assertThat(recovered.log.segmentSize(crashed.activeBase)).isEqualTo(crashed.end - crashed.activeBase);
        awaitPrepared(recovered.log);
        // the zeros were kept: the next record goes where the records ended, into the preallocated file
        long next = append(recovered.log, 99);
        assertThat(next).isEqualTo(crashed.end);
        assertThat(fileLength(crashed.dir, crashed.activeBase)).isEqualTo(SEGMENT);
        recovered.log.close();

        assertReopensCleanly(crashed, next);
    }

    @Test
    void aTornRecordBeforeTheZerosIsCutAsATornTailAndEveryForcedRecordSurvives() throws Exception {
        Crashed crashed = crashWithForcedRecords(dir.resolve("live"), dir.resolve("crashed"));
        // the header and the first bytes of a record reached the disk, the rest of it did not
        byte[] torn = new byte[400];
        ByteBuffer.wrap(torn).putInt(500).putInt(0x1234_5678).put((byte) 7).put((byte) 0);
        for (int i = 10; i < torn.length; i++) {
            torn[i] = (byte) (i | 1);
        }
        write(crashed.dir, crashed.activeBase, crashed.end - crashed.activeBase, torn);

        LogFixture recovered = new LogFixture(new DiskFiles(crashed.dir), CONFIG);
        assertThat(recovered.records).extracting(LogFixture.Scanned::address)
                .containsExactlyElementsOf(crashed.addresses);
        assertThat(recovered.damages).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DamageKind.TORN_TAIL);
            assertThat(d.address()).isEqualTo(crashed.end);
        });
        // the cut truncated the file, so the next append rolls over to a preallocated segment
        assertThat(recovered.log.segmentSize(crashed.activeBase)).isEqualTo(crashed.end - crashed.activeBase);
        assertThat(fileLength(crashed.dir, crashed.activeBase)).isEqualTo(crashed.end - crashed.activeBase);
        awaitPrepared(recovered.log);
        long next = append(recovered.log, 98);
        assertThat(next).isEqualTo(crashed.end + SegmentLog.firstRecordOffset());
        assertThat(fileLength(crashed.dir, crashed.end)).isEqualTo(SEGMENT);
        recovered.log.close();

        assertReopensCleanly(crashed, next);
    }

    @Test
    void aNonZeroByteAfterTheZerosIsDamageAsBefore() throws Exception {
        Crashed crashed = crashWithForcedRecords(dir.resolve("live"), dir.resolve("crashed"));
        write(crashed.dir, crashed.activeBase, SEGMENT - 1, new byte[]{1});

        LogFixture recovered = new LogFixture(new DiskFiles(crashed.dir), CONFIG);
        assertThat(recovered.records).extracting(LogFixture.Scanned::address)
                .containsExactlyElementsOf(crashed.addresses);
        assertThat(recovered.damages).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DamageKind.TORN_TAIL);
            assertThat(d.address()).isEqualTo(crashed.end);
        });
        assertThat(fileLength(crashed.dir, crashed.activeBase)).isEqualTo(crashed.end - crashed.activeBase);
        assertThat(append(recovered.log, 97)).isGreaterThanOrEqualTo(crashed.end);
        recovered.log.close();
    }

    @Test
    void startingWithoutAScanStillAppendsWhereTheRecordsEndNotAfterTheZeros() throws Exception {
        Crashed crashed = crashWithForcedRecords(dir.resolve("live"), dir.resolve("crashed"));
        SegmentLog log = SegmentLog.open(new DiskFiles(crashed.dir), CONFIG, new ArrayList<>());
        log.start(WriterHooks.NONE);
        long next = append(log, 96);
        assertThat(next).isEqualTo(crashed.end);
        log.close();

        assertReopensCleanly(crashed, next);
    }

    @Test
    void aZeroTailBelowTheDurableHintIsCorruption() throws Exception {
        Crashed crashed = crashWithForcedRecords(dir.resolve("live"), dir.resolve("crashed"));
        List<Damage> damages = new ArrayList<>();
        SegmentLog log = SegmentLog.open(new DiskFiles(crashed.dir), CONFIG, damages);
        ScanListener listener = new ScanListener() {
            @Override
            public void record(long address, int size, byte type, byte flags, ByteBuffer payload) {
            }

            @Override
            public void damaged(Damage damage) {
                damages.add(damage);
            }
        };
        // a checkpoint claimed records 100 bytes past where the zeros start
        for (long base : log.segmentBases()) {
            log.scan(base, 0, Long.MAX_VALUE, crashed.end + 100, listener);
        }
        assertThat(damages).extracting(Damage::kind).containsExactly(DamageKind.CORRUPT_CUT);
        log.close();
    }

    private record Crashed(Path dir, List<Long> addresses, long activeBase, long end) {
    }

    /** After the recovery and one more append at {@code next}: a clean reopen sees every record, the new one last. */
    private static void assertReopensCleanly(Crashed crashed, long next) throws Exception {
        LogFixture reopened = new LogFixture(new DiskFiles(crashed.dir), CONFIG);
        assertThat(reopened.damages).isEmpty();
        assertThat(reopened.records).extracting(LogFixture.Scanned::address)
                .containsSequence(crashed.addresses).endsWith(next);
        reopened.log.close();
    }

    /**
     * Appends forced records into a preallocated active segment, then copies the files while the log is still
     * open (what a kill -9 leaves), with a stray prepared file among them.
     */
    private static Crashed crashWithForcedRecords(Path live, Path copy) throws IOException {
        LogFixture fixture = new LogFixture(new DiskFiles(live), CONFIG);
        awaitPrepared(fixture.log);
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            addresses.add(append(fixture.log, i));
        }
        List<Long> bases = fixture.log.segmentBases();
        long activeBase = bases.get(bases.size() - 1);
        assertThat(fileLength(live, activeBase)).as("the active segment is preallocated").isEqualTo(SEGMENT);
        long end = fixture.log.durablePosition();
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(live)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.write(copy.resolve(SegmentNames.PREPARED), new byte[]{1, 2, 3});
        Files.write(copy.resolve(SegmentNames.name(activeBase + 2 * SEGMENT) + SegmentNames.DELETED_SUFFIX),
                new byte[]{4, 5, 6});
        fixture.log.close();
        return new Crashed(copy, addresses, activeBase, end);
    }

    private static long append(SegmentLog log, int seed) {
        return log.append((byte) 7, (byte) 0, ByteBuffer.wrap(payload(seed, 300)), Durability.SYNC).join();
    }

    private static void awaitPrepared(SegmentLog log) {
        while (!log.nextSegmentPrepared()) {
            Thread.onSpinWait();
        }
    }

    private static long fileLength(Path dir, long base) throws IOException {
        return Files.size(dir.resolve(SegmentNames.name(base)));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void write(Path dir, long base, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(SegmentNames.name(base)), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }
}
