package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreException;
import io.ferrymq.store.UnsupportedFormatException;
import io.ferrymq.store.file.DiskFiles;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.StoreFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ferrymq.store.log.LogFixture.SMALL;
import static io.ferrymq.store.log.LogFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentLogTest {

    @Test
    void appendedRecordsReadBackAndSurviveReopenAcrossSegments(@TempDir Path dir) throws Exception {
        StoreFiles files = new DiskFiles(dir);
        Random random = new Random(1);
        List<Long> addresses = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        LogFixture first = new LogFixture(files, SMALL);
        for (int i = 0; i < 200; i++) {
            // Mostly small records, some larger than the segment and the write buffer.
            byte[] body = payload(i, i % 50 == 7 ? 10_000 : random.nextInt(300));
            payloads.add(body);
            addresses.add(first.log.append((byte) 5, (byte) i, ByteBuffer.wrap(body), Durability.SYNC).join());
        }
        for (int i = 0; i < addresses.size(); i++) {
            LogRecord record = first.log.read(addresses.get(i));
            assertThat(record.type()).isEqualTo((byte) 5);
            assertThat(record.flags()).isEqualTo((byte) i);
            assertThat(bytes(record.payload())).isEqualTo(payloads.get(i));
            LogRecord head = first.log.peek(addresses.get(i), 3);
            assertThat(head.size()).isEqualTo(FramedRecord.HEADER_BYTES + payloads.get(i).length);
            assertThat(payloads.get(i)).startsWith(bytes(head.payload()));
        }
        assertThat(first.log.segmentBases()).hasSizeGreaterThan(5);
        assertThat(addresses).isSorted();
        first.log.close();

        LogFixture second = new LogFixture(files, SMALL);
        assertThat(second.damages).isEmpty();
        assertThat(second.records).extracting(LogFixture.Scanned::address).containsExactlyElementsOf(addresses);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(second.records.get(i).payload()).isEqualTo(payloads.get(i));
        }
        long next = second.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[1]), Durability.SYNC).join();
        assertThat(next).isGreaterThan(addresses.get(addresses.size() - 1));
        second.log.close();
    }

    @Test
    void segmentFilesAreNamedByTheirZeroPaddedBasePosition() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(2);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        for (int i = 0; i < 40; i++) {
            fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(i, 200)), Durability.SYNC).join();
        }
        fixture.log.close();
        List<String> expected = fixture.log.segmentBases().stream().map(SegmentNames::name).toList();
        assertThat(disk.names()).containsExactlyInAnyOrderElementsOf(expected).contains("00000000000000000000.seg");
        assertThat(SegmentNames.parse("00000000000000004096.seg")).hasValue(4096);
        assertThat(SegmentNames.parse("checkpoint")).isEmpty();
    }

    @Test
    void anUnknownFormatVersionIsRefusedNamingTheFileAndVersion() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(3);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[10]), Durability.SYNC).join();
        fixture.log.close();
        String name = SegmentNames.name(0);
        byte[] bytes = disk.bytes(name);
        bytes[5] = 9;
        disk.replace(name, bytes);

        assertThatThrownBy(() -> SegmentLog.open(disk.mount(), SMALL, new ArrayList<>()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("sim:" + name)
                .hasMessageContaining("format version 9");
    }

    @Test
    void aSegmentWithADamagedHeaderIsSetAsideAndReported() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(4);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        for (int i = 0; i < 60; i++) {
            fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(i, 200)), Durability.SYNC).join();
        }
        fixture.log.close();
        long victim = fixture.log.segmentBases().get(1);
        disk.flipBit(SegmentNames.name(victim), 10, 3);

        LogFixture reopened = new LogFixture(disk.mount(), SMALL);
        assertThat(reopened.damages).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DamageKind.CORRUPT_SEGMENT);
            assertThat(d.detail()).contains("checksum");
        });
        assertThat(disk.names()).contains(SegmentNames.name(victim) + ".corrupt")
                .doesNotContain(SegmentNames.name(victim));
        assertThat(reopened.records).noneMatch(r -> r.address() >= victim
                && r.address() < reopened.log.segmentBases().get(1));
        reopened.log.close();
    }

    @Test
    void aLastSegmentTornWhileRollingIsDeleted() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(5);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        long address = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[100]), Durability.SYNC)
                .join();
        fixture.log.close();
        StoreFiles files = disk.mount();
        String torn = SegmentNames.name(1 << 20);
        try (var file = files.open(torn, true)) {
            file.write(ByteBuffer.wrap(new byte[]{'F', 'M'}), 0);
            file.force();
        }
        files.syncDirectory();

        LogFixture reopened = new LogFixture(disk.mount(), SMALL);
        assertThat(reopened.damages).extracting(Damage::kind).containsExactly(DamageKind.TORN_SEGMENT);
        assertThat(disk.names()).doesNotContain(torn);
        assertThat(reopened.records).extracting(LogFixture.Scanned::address).containsExactly(address);
        // New addresses never reuse the range of the removed file.
        long next = reopened.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[1]), Durability.SYNC).join();
        assertThat(next).isGreaterThanOrEqualTo((1 << 20) + 2);
        reopened.log.close();
    }

    @Test
    void readingAnAddressNoSegmentHoldsFailsClearly() throws Exception {
        LogFixture fixture = new LogFixture(new SimulatedDisk(6).mount(), SMALL);
        assertThatThrownBy(() -> fixture.log.read(1_000_000)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no record at position 1000000");
        fixture.log.close();
    }

    @Test
    void theReadCacheServesRepeatedReadsWithinItsBound() throws Exception {
        LogFixture fixture = new LogFixture(new SimulatedDisk(7).mount(), SMALL.withCacheBytes(64 * 1024));
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            addresses.add(fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(i, 1000)), Durability.SYNC)
                    .join());
        }
        for (long address : addresses) {
            fixture.log.read(address);
        }
        assertThat(fixture.log.cachedBytes()).isPositive().isLessThanOrEqualTo(64 * 1024);
        LogRecord again = fixture.log.read(addresses.get(addresses.size() - 1));
        assertThat(bytes(again.payload())).isEqualTo(payload(199, 1000));
        fixture.log.close();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
