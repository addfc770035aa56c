package io.ferrymq.store.log;

import io.ferrymq.store.Compression;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.StoreFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Opens logs the way recovery does (scan with repair, then start) and remembers what the scan found. */
final class LogFixture {

    /** 4 KiB segments and a 4 KiB write buffer, so that tests roll segments and write past the buffer. */
    static final StoreConfig SMALL = new StoreConfig(4096, 4096, 1 << 20, Compression.NONE, 4096, 0.5, 1L << 40);

    /** A record as scanned, with its payload copied. */
    record Scanned(long address, byte type, byte flags, byte[] payload) {
    }

    final SegmentLog log;
    final List<Scanned> records = new ArrayList<>();
    final List<Damage> damages = new ArrayList<>();

    LogFixture(StoreFiles files, StoreConfig config) throws IOException {
        this(files, config, WriterHooks.NONE);
    }

    LogFixture(StoreFiles files, StoreConfig config, WriterHooks hooks) throws IOException {
        log = SegmentLog.open(files, config, damages);
        ScanListener listener = new ScanListener() {
            @Override
            public void record(long address, int size, byte type, byte flags, ByteBuffer payload) {
                byte[] copy = new byte[payload.remaining()];
                payload.get(copy);
                records.add(new Scanned(address, type, flags, copy));
            }

            @Override
            public void damaged(Damage damage) {
                damages.add(damage);
            }
        };
        for (long base : log.segmentBases()) {
            log.scan(base, 0, Long.MAX_VALUE, 0, listener);
        }
        log.start(hooks);
    }

    /**
     * Recovers the log on {@code disk} after a crash and checks that every append that completed survived with its
     * bytes, and that the only damage is a torn tail (a crash while rolling can also leave the new segment's header
     * incomplete).
     */
    static void assertCompletedAppendsSurvive(SimulatedDisk disk, Map<Long, byte[]> completed) throws IOException {
        LogFixture recovered = new LogFixture(disk.mount(), SMALL);
        Map<Long, byte[]> survived = new HashMap<>();
        recovered.records.forEach(r -> survived.put(r.address(), r.payload()));
        assertThat(survived.keySet()).containsAll(completed.keySet());
        completed.forEach((address, body) -> assertThat(survived.get(address)).isEqualTo(body));
        assertThat(recovered.damages)
                .allMatch(d -> d.kind() == DamageKind.TORN_TAIL || d.kind() == DamageKind.TORN_SEGMENT);
        recovered.log.close();
    }

    static byte[] payload(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7);
        }
        return bytes;
    }
}
