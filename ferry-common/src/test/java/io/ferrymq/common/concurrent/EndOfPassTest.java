package io.ferrymq.common.concurrent;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class EndOfPassTest {

    /** Each test on a thread of its own: what a thread installs stays with it. */
    private static void onFreshThread(Runnable test) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread thread = new Thread(test, "end-of-pass-test");
        thread.setUncaughtExceptionHandler((t, e) -> failed.set(e));
        thread.start();
        thread.join();
        assertThat(failed.get()).isNull();
    }

    /** The end of a pass as an event loop runs it: every task queued for it, including ones queued meanwhile. */
    private static void endPass(Queue<Runnable> afterPass) {
        Runnable task;
        while ((task = afterPass.poll()) != null) {
            task.run();
        }
    }

    @Test
    void deferredWorkRunsOnceAtTheEndOfThePassEvenWhenDeferredTwice() throws InterruptedException {
        onFreshThread(() -> {
            Queue<Runnable> afterPass = new ArrayDeque<>();
            EndOfPass.install(afterPass::add);
            List<String> ran = new ArrayList<>();
            Runnable write = () -> ran.add("write");
            assertThat(EndOfPass.defer(write)).isTrue();
            assertThat(EndOfPass.defer(write)).isTrue();
            assertThat(EndOfPass.defer(() -> ran.add("other"))).isTrue();
            assertThat(ran).isEmpty();
            assertThat(afterPass).hasSize(1);

            endPass(afterPass);
            assertThat(ran).containsExactly("write", "other");

            // the next pass defers afresh
            assertThat(EndOfPass.defer(write)).isTrue();
            endPass(afterPass);
            assertThat(ran).containsExactly("write", "other", "write");
        });
    }

    @Test
    void aThreadThatRunsNoPassesDefersNothing() throws InterruptedException {
        onFreshThread(() -> {
            List<String> ran = new ArrayList<>();
            assertThat(EndOfPass.available()).isFalse();
            assertThat(EndOfPass.defer(() -> ran.add("write"))).isFalse();
            assertThat(ran).isEmpty();
        });
    }

    @Test
    void aLoopThatShutsDownDefersNothing() throws InterruptedException {
        onFreshThread(() -> {
            EndOfPass.install(task -> {
                throw new RejectedExecutionException("event loop shut down");
            });
            assertThat(EndOfPass.available()).isTrue();
            assertThat(EndOfPass.defer(() -> { })).isFalse();
        });
    }

    @Test
    void workDeferredByDeferredWorkRunsInTheSameEndOfPassAfterIt() throws InterruptedException {
        onFreshThread(() -> {
            Queue<Runnable> afterPass = new ArrayDeque<>();
            EndOfPass.install(afterPass::add);
            List<String> ran = new ArrayList<>();
            Runnable second = () -> ran.add("second");
            EndOfPass.defer(() -> {
                ran.add("first");
                EndOfPass.defer(second);
            });
            endPass(afterPass);
            assertThat(ran).containsExactly("first", "second");
        });
    }

    @Test
    void failingWorkDoesNotStopTheRest() throws InterruptedException {
        onFreshThread(() -> {
            Queue<Runnable> afterPass = new ArrayDeque<>();
            EndOfPass.install(afterPass::add);
            List<String> ran = new ArrayList<>();
            EndOfPass.defer(() -> {
                throw new IllegalStateException("a bug");
            });
            EndOfPass.defer(() -> ran.add("after"));
            endPass(afterPass);
            assertThat(ran).containsExactly("after");
        });
    }
}
