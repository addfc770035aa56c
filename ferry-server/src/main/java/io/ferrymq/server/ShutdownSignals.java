package io.ferrymq.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so that {@code ferry server} stops the node on its main thread
 * and exits 0. With the JVM's default handling the process would run shutdown hooks and exit 143 or 130, which
 * service managers and scripts read as a failure. {@link #close()} puts the previous handlers back, so a JVM that
 * runs the command in-process (tests) keeps its own signal handling.
 */
final class ShutdownSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Map<Signal, SignalHandler> previousHandlers = new LinkedHashMap<>();
    private volatile String received;

    private ShutdownSignals() {
    }

    /** Installs the handlers; where the JVM forbids that (run with {@code -Xrs}), the default handling stays. */
    static ShutdownSignals install() {
        var signals = new ShutdownSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            var signal = new Signal(name);
            try {
                signals.previousHandlers.put(signal, Signal.handle(signal, s -> signals.request("SIG" + s.getName())));
            } catch (IllegalArgumentException unavailable) {
                log.warn("cannot handle SIG{} ({}); the JVM's default handling applies", name,
                        unavailable.getMessage());
            }
        }
        return signals;
    }

    /** Blocks until a signal arrives and returns its name. */
    String await() throws InterruptedException {
        stopRequested.await();
        return received;
    }

    @Override
    public void close() {
        previousHandlers.forEach(Signal::handle);
    }

    private void request(String signal) {
        received = signal;
        stopRequested.countDown();
    }
}
