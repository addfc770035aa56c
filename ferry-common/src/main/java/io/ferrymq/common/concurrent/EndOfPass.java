package io.ferrymq.common.concurrent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Work a thread that runs in passes (an event loop: wait for I/O, handle it, run tasks, wait again) does once at the
 * end of its current pass, before it waits again.
 *
 * <p>Why: a component that another thread would otherwise wake per request (the store's writer, once per durable
 * write) can leave the request for the end of the pass instead, when the loop does it itself together with
 * everything else the pass produced: no wake-up of the other thread and no wake-up back.
 *
 * <p>An event loop {@link #install}s itself on its own thread; any code on that thread may then {@link #defer} work.
 * Not thread-safe by design: everything here is the current thread's.
 */
public final class EndOfPass {
    private static final Logger LOG = LoggerFactory.getLogger(EndOfPass.class);
    private static final ThreadLocal<EndOfPass> CURRENT = new ThreadLocal<>();

    private final Executor afterPass;
    private final List<Runnable> due = new ArrayList<>(2);
    private boolean scheduled;

    private EndOfPass(Executor afterPass) {
        this.afterPass = afterPass;
    }

    /**
     * Makes the current thread one that runs in passes; {@code afterPass} runs a task once the current pass ends
     * (Netty: {@code SingleThreadEventLoop::executeAfterEventLoopIteration}). Later calls on the same thread keep
     * the first.
     */
    public static void install(Executor afterPass) {
        if (CURRENT.get() == null) {
            CURRENT.set(new EndOfPass(afterPass));
        }
    }

    /** Whether the current thread runs in passes, i.e. whether {@link #defer} would accept work. */
    public static boolean available() {
        return CURRENT.get() != null;
    }

    /**
     * Runs {@code work} once at the end of the current thread's pass; the same object deferred twice in a pass runs
     * once. Returns false, and runs nothing, when the current thread does not run in passes (or no longer does: its
     * loop is shutting down): the caller must then get the work done another way.
     */
    public static boolean defer(Runnable work) {
        EndOfPass pass = CURRENT.get();
        if (pass == null) {
            return false;
        }
        return pass.add(work);
    }

    private boolean add(Runnable work) {
        for (int i = 0; i < due.size(); i++) {
            if (due.get(i) == work) {
                return true;
            }
        }
        if (!scheduled) {
            try {
                afterPass.execute(this::runDue);
            } catch (RejectedExecutionException shuttingDown) {
                // the loop runs no more passes: the caller must get the work done another way
                return false;
            }
            scheduled = true;
        }
        due.add(work);
        return true;
    }

    private void runDue() {
        // a copy: work may defer more work, which then runs in a pass of its own
        List<Runnable> now = new ArrayList<>(due);
        due.clear();
        scheduled = false;
        for (Runnable work : now) {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("work deferred to the end of an event loop pass failed", e);
            }
        }
    }
}
