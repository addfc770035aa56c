package io.ferrymq.core;

import org.junit.jupiter.api.Test;
import java.util.Map;
import static io.ferrymq.core.Fixtures.*;

class TmpThroughputTest {
    @Test
    void measure() {
        LocalBroker broker = broker(new ManualClock());
        Session s = connect(broker, "c").openSession();
        declareQueue(s, "q");
        join(s.declareExchange(new ExchangeDeclaration("t", "topic", false, false, false, false, Map.of())));
        join(s.bindQueue("q", "t", "k.#", Map.of()));
        Session c = connect(broker, "d").openSession();
        java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
        DeliverySink sink = new DeliverySink() {
            public void deliver(Delivery d) { n.incrementAndGet(); }
            public void cancelled(String t, String r) {}
            public boolean hasCredit() { return true; }
        };
        join(c.consume(new ConsumeSpec("q", "", false, true, false, Map.of()), sink));
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) {
                s.publish(new PublishRequest(message("t", "k.a", "hello"), false));
            }
            long t1 = System.nanoTime();
            System.out.printf("TMP topic+noack: %.0f msg/s%n", 200_000 / ((t1 - t0) / 1e9));
        }
        c.close();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) {
                s.publish(new PublishRequest(message("", "q", "hello"), false));
            }
            long t1 = System.nanoTime();
            System.out.printf("TMP default, no consumer: %.0f msg/s%n", 200_000 / ((t1 - t0) / 1e9));
        }
    }
}
