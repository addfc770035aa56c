package io.ferrymq.it.crash;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One publisher of the crash test: persistent messages with publisher confirms on its own channel, as fast as a
 * window of unconfirmed messages allows, until told to stop or until the broker dies under it. Runs on its own
 * thread; confirms arrive on the client's connection thread.
 */
final class CrashPublisher implements Runnable {
    /** Unconfirmed messages in flight: enough to keep group commit busy, and plenty to be caught by the kill. */
    private static final int WINDOW = 200;

    private final Connection connection;
    private final int publisher;
    private final CrashLedger ledger;
    private final BooleanSupplier stop;
    private final BooleanSupplier killed;
    private final Random random;
    /** Channel publish sequence number → message, until its confirm or nack. */
    private final ConcurrentNavigableMap<Long, CrashMessage> outstanding = new ConcurrentSkipListMap<>();
    private final Semaphore window = new Semaphore(WINDOW);

    CrashPublisher(Connection connection, int publisher, CrashLedger ledger, BooleanSupplier stop,
                   BooleanSupplier killed, long seed) {
        this.connection = connection;
        this.publisher = publisher;
        this.ledger = ledger;
        this.stop = stop;
        this.killed = killed;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        try {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.addConfirmListener((seq, multiple) -> settle(seq, multiple, true),
                    (seq, multiple) -> settle(seq, multiple, false));
            while (!stop.getAsBoolean()) {
                if (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                CrashMessage message = ledger.publishing(publisher);
                outstanding.put(channel.getNextPublishSeqNo(), message);
                channel.basicPublish("", CrashMessage.queueName(message.queue()), MessageProperties.PERSISTENT_BASIC,
                        message.encode(random));
            }
        } catch (IOException | RuntimeException failure) {
            // after the kill, expected: whatever is outstanding stays unconfirmed, and the restart decides its fate
            if (!killed.getAsBoolean()) {
                ledger.violation("publisher " + publisher + " failed before the kill: " + failure);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A nacked message stays unconfirmed: the broker may or may not have stored it. */
    private void settle(long seq, boolean multiple, boolean ack) {
        Map<Long, CrashMessage> settled = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true,
                seq, true);
        for (CrashMessage message : settled.values()) {
            if (ack) {
                ledger.confirmed(message);
            }
            window.release();
        }
        settled.clear();
    }
}
