package io.ferrymq.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What deduplication costs per message, over AMQP against a running FerryMQ: persistent 1 KiB messages published
 * with confirms (at most 100 in flight) to a durable queue drained by an auto-ack consumer, in three modes run
 * back to back, each {@code seconds} long, repeated {@code rounds} times so that machine noise hits all three:
 * <ul>
 *   <li>{@code plain}: a queue without deduplication, messages with a unique message-id (the baseline);</li>
 *   <li>{@code unique}: {@code x-message-deduplication} with a window of 100,000 keys, every message-id new (each
 *       message enters the window and its key record is written with it);</li>
 *   <li>{@code half-dup}: the same queue, every message published twice (every second one is a duplicate:
 *       confirmed, not enqueued).</li>
 * </ul>
 * Prints confirmed messages per second and, when the broker's pid is given, the broker's CPU time per published
 * message (from /proc, Linux), which is the cost that does not depend on how loaded the machine is. A first,
 * unrecorded round of each mode warms the broker up.
 *
 * <p>{@code java -cp ferry-bench/target/benchmarks.jar io.ferrymq.bench.DedupCostBenchmark
 * amqp://guest:guest@localhost:5682 20 3 <broker-pid>} (URL, seconds per mode, rounds, broker pid; all optional)
 */
public final class DedupCostBenchmark {
    private static final int IN_FLIGHT = 100;
    private static final byte[] BODY = new byte[1024];
    private static final String[] MODES = {"plain", "unique", "half-dup"};

    private DedupCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "amqp://guest:guest@localhost:5672";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long pid = args.length > 3 ? Long.parseLong(args[3]) : -1;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url);
        double[][] rates = new double[MODES.length][rounds];
        double[][] cpu = new double[MODES.length][rounds];
        try (Connection connection = factory.newConnection("dedup-cost-bench")) {
            // one unrecorded round first: the broker's JIT warms up on all three paths
            for (String mode : MODES) {
                run(connection, mode, Math.max(1, seconds / 2), pid);
            }
            for (int round = 0; round < rounds; round++) {
                for (int mode = 0; mode < MODES.length; mode++) {
                    Result result = run(connection, MODES[mode], seconds, pid);
                    rates[mode][round] = result.published / (double) seconds;
                    cpu[mode][round] = result.cpuMicros / result.published;
                    System.out.printf("round %d %-8s confirmed %8.0f msg/s  enqueued %8d  broker CPU %s us/msg%n",
                            round + 1, MODES[mode], rates[mode][round], result.consumed,
                            pid > 0 ? String.format("%.2f", cpu[mode][round]) : "-");
                }
            }
        }
        System.out.printf("%nmedian of %d rounds, %d s each, 1 KiB persistent, confirms (%d in flight):%n",
                rounds, seconds, IN_FLIGHT);
        for (int mode = 0; mode < MODES.length; mode++) {
            System.out.printf("%-8s %8.0f msg/s   broker CPU %s us/msg%n", MODES[mode], median(rates[mode]),
                    pid > 0 ? String.format("%.2f", median(cpu[mode])) : "-");
        }
    }

    private record Result(long published, long consumed, double cpuMicros) {
    }

    private static Result run(Connection connection, String mode, int seconds, long pid) throws Exception {
        String queue = "ferry-bench-dedup-" + mode + "-" + UUID.randomUUID();
        Channel setup = connection.createChannel();
        Map<String, Object> arguments = new HashMap<>();
        if (!mode.equals("plain")) {
            arguments.put("x-message-deduplication", true);
            arguments.put("x-cache-size", 100_000);
        }
        setup.queueDeclare(queue, true, false, false, arguments);
        AtomicLong consumed = new AtomicLong();
        Channel consumer = connection.createChannel();
        consumer.basicConsume(queue, true, (tag, delivery) -> consumed.incrementAndGet(), tag -> { });

        Channel publisher = connection.createChannel();
        publisher.confirmSelect();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
        publisher.addConfirmListener((tag, multiple) -> settle(inFlight, unconfirmed, tag, multiple),
                (tag, multiple) -> settle(inFlight, unconfirmed, tag, multiple));
        long published = 0;
        long cpuBefore = cpuMicros(pid);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        boolean twice = mode.equals("half-dup");
        while (System.nanoTime() < end) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .messageId(Long.toString(published)).build();
            for (int copy = 0; copy < (twice ? 2 : 1); copy++) {
                inFlight.acquire();
                unconfirmed.add(publisher.getNextPublishSeqNo());
                publisher.basicPublish("", queue, properties, BODY);
                published++;
            }
        }
        inFlight.acquire(IN_FLIGHT);
        double cpu = cpuMicros(pid) - cpuBefore;
        publisher.close();
        consumer.close();
        setup.queueDelete(queue);
        setup.close();
        return new Result(published, consumed.get(), cpu);
    }

    /** Confirms may come out of order (RabbitMQ's documentation says so too); a multiple one settles every tag up to it. */
    private static void settle(Semaphore inFlight, ConcurrentSkipListSet<Long> unconfirmed, long tag, boolean multiple) {
        int settled = 0;
        if (multiple) {
            NavigableSet<Long> upTo = unconfirmed.headSet(tag, true);
            while (upTo.pollFirst() != null) {
                settled++;
            }
        } else if (unconfirmed.remove(tag)) {
            settled = 1;
        }
        inFlight.release(settled);
    }

    /** The process's user+system CPU time in microseconds, from /proc/PID/stat (clock ticks of 10 ms). */
    private static long cpuMicros(long pid) throws Exception {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 10_000;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
