package io.ferrymq.store.log;

import io.ferrymq.common.concurrent.EndOfPass;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * A thread that runs in passes as an event loop does: a pass runs one submitted task, then what was deferred to the
 * end of the pass ({@link EndOfPass}). Stands in for a Netty event loop in store tests.
 */
final class PassLoop implements AutoCloseable {
    private static final Runnable STOP = () -> { };

    private final LinkedBlockingQueue<Runnable> passes = new LinkedBlockingQueue<>();
    private final Queue<Runnable> afterPass = new ArrayDeque<>();
    private final Thread thread;

    PassLoop(String name) {
        thread = new Thread(this::run, name);
        thread.start();
    }

    /** Runs {@code pass} as one pass; the result is there once the pass, its end included, is over. */
    <T> CompletableFuture<T> pass(Supplier<T> pass) {
        CompletableFuture<T> over = new CompletableFuture<>();
        passes.add(() -> {
            T value;
            try {
                value = pass.get();
            } catch (RuntimeException | Error e) {
                endPass();
                over.completeExceptionally(e);
                return;
            }
            endPass();
            over.complete(value);
        });
        return over;
    }

    /** Waits (up to 10 s) until {@code log}'s writer thread is idle, so that a pass after this writes itself. */
    static void awaitIdleWriter(SegmentLog log) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!log.writerIdle() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    String name() {
        return thread.getName();
    }

    private void run() {
        EndOfPass.install(afterPass::add);
        while (true) {
            Runnable task;
            try {
                task = passes.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            task.run();
        }
    }

    private void endPass() {
        Runnable tail;
        while ((tail = afterPass.poll()) != null) {
            tail.run();
        }
    }

    @Override
    public void close() throws InterruptedException {
        passes.add(STOP);
        thread.join();
    }
}
