package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.SimulatedDisk.Crash;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.ferrymq.store.log.LogFixture.SMALL;
import static io.ferrymq.store.log.LogFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

/** Durable writes asked for on a thread that runs in passes (an event loop): written by it at the end of the pass. */
class EndOfPassWriteTest {

    @Test
    void aPassWritesItsDurableAppendsItselfAtItsEndWithOneForceBeforeTheyComplete() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(21);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL.withSegmentBytes(1 << 20));
        long forcesBefore = fixture.log.stats().fsyncs();
        List<String> completedOn = new CopyOnWriteArrayList<>();
        try (PassLoop loop = new PassLoop("pass-loop")) {
            PassLoop.awaitIdleWriter(fixture.log);
            List<CompletableFuture<Long>> appends = loop.pass(() -> {
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                // 30 x 100 bytes: below the bytes after which the writer forces mid-batch (4 KiB here)
                for (int i = 0; i < 30; i++) {
                    CompletableFuture<Long> append = fixture.log.append((byte) 1, (byte) 0,
                            ByteBuffer.wrap(payload(i, 100)), Durability.SYNC);
                    append.whenComplete((address, error) -> completedOn.add(Thread.currentThread().getName()));
                    mine.add(append);
                }
                // nothing is written during the pass: the writer thread was not woken
                assertThat(mine).noneMatch(CompletableFuture::isDone);
                return mine;
            }).get(10, TimeUnit.SECONDS);

            assertThat(appends).allMatch(append -> append.isDone() && !append.isCompletedExceptionally());
            assertThat(completedOn).hasSize(30).containsOnly(loop.name());
            assertThat(fixture.log.stats().fsyncs() - forcesBefore).isEqualTo(1);
            assertThat(fixture.log.durablePosition()).isGreaterThan(appends.get(29).join());

            disk.crash(Crash.DROP_UNSYNCED);
            fixture.log.close();
            LogFixture recovered = new LogFixture(disk.mount(), SMALL);
            assertThat(recovered.records).extracting(LogFixture.Scanned::address)
                    .containsExactlyElementsOf(appends.stream().map(CompletableFuture::join).toList());
            recovered.log.close();
        }
    }

    @Test
    void aLazyAppendFromAPassIsWrittenAtItsEndWithoutAForce() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(22);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        try (PassLoop loop = new PassLoop("pass-loop")) {
            PassLoop.awaitIdleWriter(fixture.log);
            CompletableFuture<Long> lazy = loop.pass(() -> fixture.log.append((byte) 1, (byte) 0,
                    ByteBuffer.wrap(payload(1, 10)), Durability.LAZY)).get(10, TimeUnit.SECONDS);
            assertThat(lazy).isDone();
            assertThat(fixture.log.read(lazy.join()).size()).isEqualTo(20);
            assertThat(fixture.log.stats().fsyncs()).isZero();
        }
        fixture.log.close();
    }

    @Test
    void theHooksRunOnTheWriterThreadSoonAfterAndSeeADurableLog() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(23);
        record Seen(String thread, long durable, long position) {
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        LogFixture fixture = new LogFixture(disk.mount(), SMALL, (writer, durable) ->
                seen.add(new Seen(Thread.currentThread().getName(), durable, writer.position())));
        try (PassLoop loop = new PassLoop("pass-loop")) {
            long durableAppend = loop.pass(() -> fixture.log.append((byte) 1, (byte) 0,
                    ByteBuffer.wrap(payload(1, 10)), Durability.SYNC)).get(10, TimeUnit.SECONDS).join();
            // a lazy write after that force (usually before the hooks run): they must wait for a force covering it
            loop.pass(() -> fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(2, 10)),
                    Durability.LAZY)).get(10, TimeUnit.SECONDS).join();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.stream().noneMatch(s -> s.durable() > durableAppend) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(seen).anyMatch(s -> s.durable() > durableAppend);
            assertThat(seen).allMatch(s -> s.thread().equals("ferry-store-writer"))
                    .allMatch(s -> s.durable() == s.position());
        }
        fixture.log.close();
    }

    @Test
    void passesAndPlainThreadsWritingTogetherLoseNothingConfirmedInACrash() throws Exception {
        for (long seed = 0; seed < 4; seed++) {
            SimulatedDisk disk = new SimulatedDisk(100 + seed);
            disk.onForce(() -> LockSupport.parkNanos(50_000));
            LogFixture fixture = new LogFixture(disk.mount(), SMALL);
            Map<Long, byte[]> completed = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<PassLoop> loops = List.of(new PassLoop("pass-loop-1"), new PassLoop("pass-loop-2"));
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                PassLoop loop = t < 2 ? loops.get(t) : null;
                writers.add(new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        byte[] body = payload(writer * 100_000 + i, (i * 37) % 700);
                        Runnable append = () -> fixture.log.append((byte) 1, (byte) writer, ByteBuffer.wrap(body),
                                Durability.SYNC).whenComplete((address, failure) -> {
                                    if (failure == null) {
                                        completed.put(address, body);
                                    }
                                });
                        if (loop == null) {
                            append.run();
                        } else if (i % 3 == 0) {
                            // one append per pass, or a few: what a loop reads in a pass varies
                            loop.pass(() -> {
                                append.run();
                                return null;
                            }).join();
                        } else {
                            loop.pass(() -> {
                                append.run();
                                return null;
                            });
                        }
                        if (i % 16 == 15) {
                            LockSupport.parkNanos(10_000);
                        }
                    }
                }));
            }
            writers.forEach(Thread::start);
            while (completed.size() < 300 + seed * 50) {
                Thread.onSpinWait();
            }
            disk.crash(seed % 2 == 0 ? Crash.DROP_UNSYNCED : Crash.KEEP_RANDOM_PREFIX);
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            for (PassLoop loop : loops) {
                loop.close();
            }
            fixture.log.close();

            LogFixture.assertCompletedAppendsSurvive(disk, completed);
        }
    }

    @Test
    void aWriteLeftForTheEndOfAPassThatCloseOvertakesStillCompletes() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(24);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        try (PassLoop loop = new PassLoop("pass-loop")) {
            CompletableFuture<Long> append = loop.pass(() -> {
                CompletableFuture<Long> pending = fixture.log.append((byte) 1, (byte) 0,
                        ByteBuffer.wrap(payload(1, 10)), Durability.SYNC);
                // the log closes before this pass ends: the writer thread finishes what was asked
                fixture.log.close();
                return pending;
            }).get(10, TimeUnit.SECONDS);
            assertThat(append).succeedsWithin(10, TimeUnit.SECONDS);
        }
        LogFixture recovered = new LogFixture(disk.mount(), SMALL);
        assertThat(recovered.records).hasSize(1);
        recovered.log.close();
    }
}
