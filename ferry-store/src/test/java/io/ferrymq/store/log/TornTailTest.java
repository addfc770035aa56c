package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.StoreFile;
import io.ferrymq.store.file.StoreFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.ferrymq.store.log.LogFixture.SMALL;
import static io.ferrymq.store.log.LogFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

/** Damage at the end of the log (torn writes) and in its middle (bit rot), as recovery's scan sees it. */
class TornTailTest {

    private static final int RECORDS = 8;

    @Test
    void aTailTornAtEveryByteOfTheLastRecordIsCutAndEverythingBeforeSurvives() throws Exception {
        Image image = image(new SimulatedDisk(21), SMALL.withSegmentBytes(1 << 16));
        long lastStart = image.addresses.get(RECORDS - 1);
        for (long cut = lastStart; cut < image.bytes.length; cut++) {
            SimulatedDisk disk = diskWith(image.name, Arrays.copyOf(image.bytes, (int) cut));
            LogFixture fixture = new LogFixture(disk.mount(), SMALL.withSegmentBytes(1 << 16));

            assertThat(fixture.records).extracting(LogFixture.Scanned::address)
                    .containsExactlyElementsOf(image.addresses.subList(0, RECORDS - 1));
            if (cut == lastStart) {
                assertThat(fixture.damages).isEmpty();
            } else {
                assertThat(fixture.damages).singleElement().satisfies(d -> {
                    assertThat(d.kind()).isEqualTo(DamageKind.TORN_TAIL);
                    assertThat(d.address()).isEqualTo(lastStart);
                });
                assertThat(fixture.damages.get(0).lostBytes()).isEqualTo(cut - lastStart);
            }
            assertThat(disk.bytes(image.name)).hasSize((int) lastStart);
            long next = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[3]), Durability.SYNC).join();
            assertThat(next).isEqualTo(lastStart);
            fixture.log.close();
        }
    }

    /**
     * A bit rotted anywhere in the last record (header, CRC, type, flags or payload): that record is cut, nothing
     * before it is lost, and the log appends where it was. Most bits make a bad CRC at the end of the file (a torn
     * tail); a few in the length field make it claim a shorter record followed by bytes that are no record.
     */
    @Test
    void aFlippedBitAtEveryByteOfTheLastRecordCutsOnlyThatRecord() throws Exception {
        Image image = image(new SimulatedDisk(25), SMALL.withSegmentBytes(1 << 16));
        long lastStart = image.addresses.get(RECORDS - 1);
        for (long at = lastStart; at < image.bytes.length; at++) {
            SimulatedDisk disk = diskWith(image.name, image.bytes);
            disk.flipBit(image.name, at, (int) (at % 8));
            LogFixture fixture = new LogFixture(disk.mount(), SMALL.withSegmentBytes(1 << 16));

            assertThat(fixture.records).as("bit flipped at %d", at).extracting(LogFixture.Scanned::address)
                    .containsExactlyElementsOf(image.addresses.subList(0, RECORDS - 1));
            assertThat(fixture.damages).as("bit flipped at %d", at).singleElement().satisfies(d -> {
                assertThat(d.kind()).isIn(DamageKind.TORN_TAIL, DamageKind.CORRUPT_CUT);
                assertThat(d.address()).isEqualTo(lastStart);
            });
            long next = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[3]), Durability.SYNC).join();
            assertThat(next).isEqualTo(lastStart);
            fixture.log.close();
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws Exception {
        Image image = image(new SimulatedDisk(22), SMALL.withSegmentBytes(1 << 16));
        Random random = new Random(22);
        for (int length : new int[]{1, 9, 10, 11, 100, 3000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            byte[] content = Arrays.copyOf(image.bytes, image.bytes.length + length);
            System.arraycopy(garbage, 0, content, image.bytes.length, length);
            SimulatedDisk disk = diskWith(image.name, content);
            LogFixture fixture = new LogFixture(disk.mount(), SMALL.withSegmentBytes(1 << 16));
            assertThat(fixture.records).extracting(LogFixture.Scanned::address)
                    .containsExactlyElementsOf(image.addresses);
            assertThat(fixture.damages).extracting(Damage::kind).containsExactly(DamageKind.TORN_TAIL);
            fixture.log.close();
        }
    }

    @Test
    void aFlippedBitInAMiddleRecordIsReportedAndOnlyThatRecordIsSkipped() throws Exception {
        Image image = image(new SimulatedDisk(23), SMALL.withSegmentBytes(1 << 16));
        long victim = image.addresses.get(3);
        SimulatedDisk disk = diskWith(image.name, image.bytes);
        disk.flipBit(image.name, victim + FramedRecord.HEADER_BYTES + 5, 2);

        LogFixture fixture = new LogFixture(disk.mount(), SMALL.withSegmentBytes(1 << 16));
        List<Long> expected = new ArrayList<>(image.addresses);
        expected.remove(victim);
        assertThat(fixture.records).extracting(LogFixture.Scanned::address).containsExactlyElementsOf(expected);
        assertThat(fixture.damages).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DamageKind.CORRUPT_SKIPPED);
            assertThat(d.address()).isEqualTo(victim);
            assertThat(d.recordType()).isEqualTo(7);
            assertThat(d.payloadHead()).hasSize(16);
        });
        fixture.log.close();
    }

    @Test
    void aDamagedLengthInASealedSegmentCutsTheRestOfThatSegmentOnly() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(24);
        LogFixture writer = new LogFixture(disk.mount(), SMALL);
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            addresses.add(writer.log.append((byte) 7, (byte) 0, ByteBuffer.wrap(payload(i, 150)), Durability.SYNC)
                    .join());
        }
        writer.log.close();
        long sealed = writer.log.segmentBases().get(0);
        long nextSegment = writer.log.segmentBases().get(1);
        long victim = addresses.get(5);
        disk.flipBit(SegmentNames.name(sealed), victim - sealed, 6);

        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        assertThat(fixture.damages).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DamageKind.CORRUPT_CUT);
            assertThat(d.address()).isEqualTo(victim);
        });
        List<Long> expected = addresses.stream().filter(a -> a < victim || a >= nextSegment).toList();
        assertThat(fixture.records).extracting(LogFixture.Scanned::address).containsExactlyElementsOf(expected);
        fixture.log.close();
    }

    /** A log of {@link #RECORDS} records in one segment, as bytes. */
    private record Image(String name, byte[] bytes, List<Long> addresses) {
    }

    private static Image image(SimulatedDisk disk, io.ferrymq.store.StoreConfig config) throws IOException {
        LogFixture fixture = new LogFixture(disk.mount(), config);
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            addresses.add(fixture.log.append((byte) 7, (byte) 0, ByteBuffer.wrap(payload(i, 20 + i * 13)),
                    Durability.SYNC).join());
        }
        fixture.log.close();
        String name = SegmentNames.name(0);
        return new Image(name, disk.bytes(name), addresses);
    }

    private static SimulatedDisk diskWith(String name, byte[] content) throws IOException {
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
