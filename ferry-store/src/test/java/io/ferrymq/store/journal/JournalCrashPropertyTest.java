package io.ferrymq.store.journal;

import io.ferrymq.store.Compression;
import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.StoreFiles;
import io.ferrymq.store.log.DamageKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random histories of adds, deletes (durable and lazy), metadata changes, checkpoints, clean restarts and crashes
 * (some tearing the unsynced tail, some while compaction and reclaim are busy in the background), against a model
 * of what was acknowledged. After every restart:
 * <ul>
 *   <li>no acknowledged entry is lost and no acknowledged delete is undone (a deleted entry never comes back,
 *       whatever segments reclaim deleted and whatever compaction moved);</li>
 *   <li>recovering from the checkpoint gives exactly what a full scan of the same disk gives
 *       ("snapshot + replay = full replay").</li>
 * </ul>
 */
class JournalCrashPropertyTest {

    sealed interface Op {
    }

    record Add(int stream, int size, boolean lazy) implements Op {
    }

    /** Deletes a live entry: one of the newest few if {@code recent} (old segments stay dense), else any. */
    record Delete(int pick, boolean lazy, boolean recent) implements Op {
    }

    record Put(int key, int size) implements Op {
    }

    record Remove(int key) implements Op {
    }

    record Checkpoint() implements Op {
    }

    record Sync() implements Op {
    }

    record Crash(boolean settleFirst, boolean tear) implements Op {
    }

    record Restart() implements Op {
    }

    /** 1 KiB segments (the smallest allowed) so that short histories span many; checkpoints every 4 KiB. */
    private static final StoreConfig TINY = new StoreConfig(1024, 4096, 64 * 1024, Compression.LZ4, 512, 0.5, 4096);

    @Provide
    Arbitrary<List<Op>> histories() {
        // Mostly small bodies, so that segments hold many records; some above the compression threshold.
        Arbitrary<Integer> size = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.integers().between(0, 120)),
                Tuple.of(1, Arbitraries.integers().between(120, 1500)));
        Arbitrary<Op> add = Combinators.combine(Arbitraries.integers().between(0, 3), size,
                Arbitraries.of(true, false)).as(Add::new);
        Arbitrary<Op> delete = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Delete::new);
        Arbitrary<Op> put = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 700)).as(Put::new);
        Arbitrary<Op> remove = Arbitraries.integers().between(0, 5).map(Remove::new);
        Arbitrary<Op> crash = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(Crash::new);
        Arbitrary<Op> step = Arbitraries.frequencyOf(
                Tuple.of(30, add),
                Tuple.of(30, delete),
                Tuple.of(3, put),
                Tuple.of(2, remove),
                Tuple.of(2, Arbitraries.just(new Checkpoint())),
                Tuple.of(3, Arbitraries.just(new Sync())),
                Tuple.of(3, crash),
                Tuple.of(2, Arbitraries.just(new Restart())));
        return step.list().ofMinSize(100).ofMaxSize(500);
    }

    @Property(tries = 100)
    void restartsNeverLoseAcknowledgedWritesNorResurrectDeletes(@ForAll("histories") List<Op> history,
                                                                @ForAll @LongRange(max = 1_000) long seed)
            throws IOException {
        Run run = new Run(seed);
        try {
            for (Op op : history) {
                run.apply(op);
            }
            run.apply(new Restart());
        } finally {
            run.journal.close();
        }
    }

    /** The system under test and the model of what it acknowledged. */
    private static final class Run {
        private final SimulatedDisk disk;
        private final long seed;
        private final StoreConfig config;
        private SegmentJournal journal;
        /** Live entries with the address the model last learned, and whether their add may still vanish. */
        private final TreeMap<Recorder.Key, Long> live = new TreeMap<>((a, b) -> a.stream() != b.stream()
                ? Long.compare(a.stream(), b.stream()) : Long.compare(a.entry(), b.entry()));
        private final Map<Recorder.Key, Integer> sizes = new HashMap<>();
        private final Set<Recorder.Key> unsyncedAdds = new HashSet<>();
        private final Set<Recorder.Key> unsyncedDeletes = new HashSet<>();
        private final Map<Long, ByteBuffer> metadata = new HashMap<>();
        private long nextEntry;
        private int version;

        Run(long seed) throws IOException {
            this.seed = seed;
            this.disk = new SimulatedDisk(seed);
            // Without compaction, sparse old segments stay, and with them the deletes that pin them.
            this.config = seed % 3 == 0 ? TINY.withCompactionThreshold(0) : TINY;
            this.journal = Journals.open(disk.mount(), config, new Recorder());
        }

        void apply(Op op) throws IOException {
            if (op instanceof Add add) {
                Recorder.Key key = new Recorder.Key(add.stream(), nextEntry++);
                long address = journal.add(key.stream(), key.entry(), body(key, add.size()),
                        add.lazy() ? Durability.LAZY : Durability.SYNC).join();
                live.put(key, address);
                sizes.put(key, add.size());
                if (add.lazy()) {
                    unsyncedAdds.add(key);
                } else {
                    synced();
                }
            } else if (op instanceof Delete delete) {
                if (live.isEmpty()) {
                    return;
                }
                List<Recorder.Key> keys = new ArrayList<>(live.keySet());
                keys.sort((a, b) -> Long.compare(a.entry(), b.entry()));
                Recorder.Key key = delete.recent()
                        ? keys.get(keys.size() - 1 - delete.pick() % Math.min(keys.size(), 4))
                        : keys.get(delete.pick() % keys.size());
                journal.delete(key.stream(), key.entry(), live.remove(key),
                        delete.lazy() ? Durability.LAZY : Durability.SYNC).join();
                if (delete.lazy()) {
                    unsyncedDeletes.add(key);
                } else {
                    synced();
                }
            } else if (op instanceof Put put) {
                ByteBuffer value = ByteBuffer.wrap(("v" + version++ + "-").repeat(put.size() / 4 + 1).getBytes());
                journal.putMetadata(put.key(), value).join();
                metadata.put((long) put.key(), value);
                synced();
            } else if (op instanceof Remove remove) {
                boolean existed = journal.removeMetadata(remove.key()).join();
                assertThat(existed).isEqualTo(metadata.remove((long) remove.key()) != null);
                synced();
            } else if (op instanceof Checkpoint) {
                journal.checkpoint().join();
                synced();
            } else if (op instanceof Sync) {
                journal.sync().join();
                synced();
            } else if (op instanceof Crash crash) {
                if (crash.settleFirst()) {
                    Journals.quiesce(journal);
                }
                disk.crash(crash.tear() ? SimulatedDisk.Crash.KEEP_RANDOM_PREFIX : SimulatedDisk.Crash.DROP_UNSYNCED);
                journal.close();
                reopen(false);
            } else if (op instanceof Restart) {
                journal.close();
                synced();
                reopen(true);
            }
        }

        private void synced() {
            unsyncedAdds.clear();
            unsyncedDeletes.clear();
        }

        private void reopen(boolean clean) throws IOException {
            // The same disk recovered without its checkpoint: the full scan the checkpoint must agree with.
            SimulatedDisk fullScanDisk = disk.copyDurable(seed);
            StoreFiles fullScanFiles = fullScanDisk.mount();
            if (fullScanFiles.exists(CheckpointFiles.CHECKPOINT)) {
                fullScanFiles.delete(CheckpointFiles.CHECKPOINT);
                fullScanFiles.syncDirectory();
            }
            Recorder fullScan = new Recorder();
            Journals.open(fullScanFiles, config, fullScan).close();

            Recorder recorder = new Recorder();
            journal = Journals.open(disk.mount(), config, recorder);
            if (clean) {
                assertThat(journal.recovery().cleanShutdown()).as("%s", journal.recovery()).isTrue();
            }
            assertThat(journal.recovery().damages())
                    .allMatch(d -> d.kind() == DamageKind.TORN_TAIL || d.kind() == DamageKind.TORN_SEGMENT);

            assertThat(recorder.entries.keySet()).isEqualTo(fullScan.entries.keySet());
            recorder.entries.forEach((key, stored) -> {
                assertThat(stored.address()).isEqualTo(fullScan.entries.get(key).address());
                assertThat(stored.body()).isEqualTo(fullScan.entries.get(key).body());
            });
            assertThat(recorder.metadata).isEqualTo(fullScan.metadata);

            for (Recorder.Key key : live.keySet()) {
                if (!unsyncedAdds.contains(key)) {
                    assertThat(recorder.entries).as("acknowledged entry %s lost", key).containsKey(key);
                }
            }
            for (Recorder.Key key : recorder.entries.keySet()) {
                assertThat(live.containsKey(key) || unsyncedDeletes.contains(key))
                        .as("entry %s came back after its delete was acknowledged", key).isTrue();
                assertThat(recorder.entries.get(key).body()).isEqualTo(body(key, sizes.get(key)));
            }
            assertThat(recorder.metadata).isEqualTo(metadata);

            live.clear();
            recorder.entries.forEach((key, stored) -> live.put(key, stored.address()));
            synced();
        }

        private static ByteBuffer body(Recorder.Key key, int size) {
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) ((key.entry() * 7 + i / 16) & 0x3F);
            }
            return ByteBuffer.wrap(bytes);
        }
    }
}
