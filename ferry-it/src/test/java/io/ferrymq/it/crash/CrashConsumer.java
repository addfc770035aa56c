package io.ferrymq.it.crash;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.ferrymq.it.crash.CrashMessage.PUBLISHERS;
import static io.ferrymq.it.crash.CrashMessage.queueName;

/**
 * The consumer of one queue in the crash test: checks each delivery (checksum, queue, per-publisher order) and
 * acknowledges it, and every few acks sends {@code basic.qos}, whose reply makes the acks before it durable (G1b).
 * Runs on its own thread: deliveries are handed over from the client's dispatch thread, so the synchronous
 * {@code basic.qos} never runs inside a delivery callback.
 */
final class CrashConsumer implements Runnable {
    private static final int PREFETCH = 50;
    private static final int ACKS_PER_SYNC = 25;

    private final Connection connection;
    private final int queue;
    private final CrashLedger ledger;
    private final BooleanSupplier stop;
    private final BooleanSupplier killed;
    private final BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    /** Per publisher, the last sequence delivered from this queue in this round. */
    private final long[] lastSeq = new long[PUBLISHERS];
    private final List<CrashMessage> sinceSync = new ArrayList<>();

    CrashConsumer(Connection connection, int queue, CrashLedger ledger, BooleanSupplier stop,
                  BooleanSupplier killed) {
        this.connection = connection;
        this.queue = queue;
        this.ledger = ledger;
        this.stop = stop;
        this.killed = killed;
    }

    @Override
    public void run() {
        try {
            Channel channel = connection.createChannel();
            channel.basicQos(PREFETCH);
            channel.basicConsume(queueName(queue), false, (tag, delivery) -> inbox.add(delivery), tag -> {
            });
            while (!stop.getAsBoolean()) {
                Delivery delivery = inbox.poll(20, TimeUnit.MILLISECONDS);
                if (delivery == null) {
                    sync(channel); // idle: do not leave acks pending for long
                    continue;
                }
                CrashMessage message = check(delivery);
                if (message != null) {
                    ledger.acking(message);
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    sinceSync.add(message);
                }
                if (sinceSync.size() >= ACKS_PER_SYNC) {
                    sync(channel);
                }
            }
        } catch (IOException | RuntimeException failure) {
            // after the kill, expected: acks since the last sync stay pending, and the restart decides their fate
            if (!killed.getAsBoolean()) {
                ledger.violation("the consumer of " + queueName(queue) + " failed before the kill: " + failure);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The delivered message, or null (recorded as a violation) when it is not what was published. */
    private CrashMessage check(Delivery delivery) {
        CrashMessage message;
        try {
            message = CrashMessage.decode(delivery.getBody());
        } catch (IllegalArgumentException corrupt) {
            ledger.violation(queueName(queue) + ": " + corrupt.getMessage());
            return null;
        }
        if (message.queue() != queue) {
            ledger.violation(message + " was delivered from " + queueName(queue));
        }
        if (message.seq() <= lastSeq[message.publisher()]) {
            ledger.violation(queueName(queue) + " delivered " + message + " after seq "
                    + lastSeq[message.publisher()] + " of the same publisher");
        }
        lastSeq[message.publisher()] = message.seq();
        ledger.delivered(message, delivery.getEnvelope().isRedeliver());
        return message;
    }

    private void sync(Channel channel) throws IOException {
        if (sinceSync.isEmpty()) {
            return;
        }
        channel.basicQos(PREFETCH);
        ledger.acksDurable(sinceSync);
        sinceSync.clear();
    }
}
