package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreException;
import io.ferrymq.store.file.SimulatedDisk;
import io.ferrymq.store.file.SimulatedDisk.Crash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.ferrymq.store.log.LogFixture.SMALL;
import static io.ferrymq.store.log.LogFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitTest {

    @Test
    void anAppendCompletesOnlyAfterTheForceAndVanishesIfTheMachineCrashesBefore() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(11);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        long kept = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(1, 50)), Durability.SYNC).join();
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        disk.onForce(() -> {
            forcing.countDown();
            await(release);
        });

        CompletableFuture<Long> pending = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(2, 50)),
                Durability.SYNC);
        assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending).isNotDone();
        disk.crash(Crash.DROP_UNSYNCED);
        release.countDown();
        assertThat(pending).failsWithin(10, TimeUnit.SECONDS);
        fixture.log.close();

        disk.onForce(() -> {
        });
        LogFixture recovered = new LogFixture(disk.mount(), SMALL);
        assertThat(recovered.records).extracting(LogFixture.Scanned::address).containsExactly(kept);
        recovered.log.close();
    }

    @Test
    void everyCompletedAppendSurvivesACrashAtAnyMoment() throws Exception {
        for (long seed = 0; seed < 8; seed++) {
            SimulatedDisk disk = new SimulatedDisk(seed);
            LogFixture fixture = new LogFixture(disk.mount(), SMALL);
            Map<Long, byte[]> completed = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                appenders.add(new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        byte[] body = payload(thread * 100_000 + i, (i * 37) % 700);
                        fixture.log.append((byte) 1, (byte) thread, ByteBuffer.wrap(body), Durability.SYNC)
                                .whenComplete((address, failure) -> {
                                    if (failure == null) {
                                        completed.put(address, body);
                                    }
                                });
                        if (i % 16 == 15) {
                            LockSupport.parkNanos(10_000);
                        }
                    }
                }));
            }
            appenders.forEach(Thread::start);
            while (completed.size() < 200 + seed * 50) {
                Thread.onSpinWait();
            }
            disk.crash(seed % 2 == 0 ? Crash.DROP_UNSYNCED : Crash.KEEP_RANDOM_PREFIX);
            stop.set(true);
            for (Thread appender : appenders) {
                appender.join();
            }
            fixture.log.close();

            LogFixture.assertCompletedAppendsSurvive(disk, completed);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 64})
    void concurrentAppendersAllCompleteAndShareForces(int threads) throws Exception {
        SimulatedDisk disk = new SimulatedDisk(threads);
        // A force that takes a little while, as a real one does, so that appends arrive during it.
        disk.onForce(() -> LockSupport.parkNanos(200_000));
        LogFixture fixture = new LogFixture(disk.mount(), SMALL.withSegmentBytes(1 << 20));
        int perThread = 2000 / threads;
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            appenders.add(new Thread(() -> {
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    CompletableFuture<Long> future = fixture.log.append((byte) 1, (byte) 0,
                            ByteBuffer.wrap(payload(thread * perThread + i, 64)), Durability.SYNC);
                    mine.add(future);
                    if (threads == 1) {
                        future.join();
                    }
                }
                synchronized (futures) {
                    futures.addAll(mine);
                }
            }));
        }
        appenders.forEach(Thread::start);
        for (Thread appender : appenders) {
            appender.join();
        }
        Set<Long> addresses = new HashSet<>();
        for (CompletableFuture<Long> future : futures) {
            addresses.add(future.get(30, TimeUnit.SECONDS));
        }
        assertThat(addresses).hasSize(perThread * threads);
        LogStats stats = fixture.log.stats();
        assertThat(stats.records()).isEqualTo(perThread * threads);
        assertThat(stats.fsyncs()).isPositive();
        if (threads > 1) {
            assertThat(stats.recordsPerFsync()).isGreaterThan(1.0);
        }
        assertThat(stats.durablePosition()).isGreaterThan(addresses.stream().max(Long::compare).orElseThrow());
        fixture.log.close();
    }

    @Test
    void aFailedForceFailsTheWaitingAppendsAndEveryLaterOne() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(12);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        long kept = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(1, 10)), Durability.SYNC).join();
        disk.failNextForces(1);
        CompletableFuture<Long> failed = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(2, 10)),
                Durability.SYNC);
        assertThatThrownBy(failed::join).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("simulated fsync failure");
        assertThatThrownBy(() -> fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(new byte[1]),
                Durability.SYNC).join()).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("restart the broker");
        fixture.log.close();

        disk.crash(Crash.DROP_UNSYNCED);
        LogFixture recovered = new LogFixture(disk.mount(), SMALL);
        assertThat(recovered.records).extracting(LogFixture.Scanned::address).startsWith(kept);
        recovered.log.close();
    }

    @Test
    void aLazyAppendIsWrittenInOrderWithoutAForceAndDurableAfterTheNextSync() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(13);
        LogFixture fixture = new LogFixture(disk.mount(), SMALL);
        fixture.log.sync().join();
        long forces = disk.forces();
        long lazy = fixture.log.append((byte) 1, (byte) 0, ByteBuffer.wrap(payload(1, 10)), Durability.LAZY).join();
        assertThat(disk.forces()).isEqualTo(forces);
        assertThat(fixture.log.read(lazy).size()).isEqualTo(20);
        assertThat(fixture.log.durablePosition()).isLessThanOrEqualTo(lazy);
        fixture.log.sync().join();
        assertThat(fixture.log.durablePosition()).isGreaterThan(lazy);
        disk.crash(Crash.DROP_UNSYNCED);
        fixture.log.close();

        LogFixture recovered = new LogFixture(disk.mount(), SMALL);
        assertThat(recovered.records).extracting(LogFixture.Scanned::address).containsExactly(lazy);
        recovered.log.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
