package io.ferrymq.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Request/reply round trips over AMQP with direct reply-to, against any broker (FerryMQ, RabbitMQ): {@code clients}
 * concurrent clients, each on its own connection, send a request and wait for its reply before the next; as many
 * servers, each on its own channel, answer every request to its {@code reply_to} with its {@code correlation_id}.
 * Prints round trips per second and the p50, p99 and max round-trip latency, measured after a warm-up.
 *
 * <p>{@code java -cp ferry-bench/target/benchmarks.jar io.ferrymq.bench.RpcBenchmark amqp://guest:guest@localhost:5672
 * 8 30 5 100} (URL, clients, seconds measured, seconds of warm-up, request body bytes; all but the URL optional)
 */
public final class RpcBenchmark {
    private static final String REPLY_TO = "amq.rabbitmq.reply-to";

    private RpcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "amqp://guest:guest@localhost:5672";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        byte[] body = new byte[args.length > 4 ? Integer.parseInt(args[4]) : 100];
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url);
        String queue = "ferry-bench-rpc-" + UUID.randomUUID();
        try (Connection serverConnection = factory.newConnection("rpc-bench-server")) {
            startServers(serverConnection, queue, clients);
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
            List<Client> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Client client = new Client(factory, queue, body, warmupEnd, end);
                client.start();
                running.add(client);
            }
            long[] latencies = new long[0];
            for (Client client : running) {
                client.join();
                if (client.failure != null) {
                    throw client.failure;
                }
                latencies = concat(latencies, client.latencies());
            }
            report(url, clients, seconds, latencies);
        }
    }

    /** One server per client, each on its own channel, so that servers are never the bottleneck. */
    private static void startServers(Connection connection, String queue, int count) throws Exception {
        Channel setup = connection.createChannel();
        setup.queueDeclare(queue, false, false, true, null);
        for (int i = 0; i < count; i++) {
            Channel channel = connection.createChannel();
            channel.basicQos(1);
            channel.basicConsume(queue, false, (tag, request) -> {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                        .correlationId(request.getProperties().getCorrelationId()).build();
                channel.basicPublish("", request.getProperties().getReplyTo(), properties, request.getBody());
                channel.basicAck(request.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
        }
    }

    /** A client thread: request, wait for the reply, record the round trip once past the warm-up. */
    private static final class Client extends Thread {
        private final ConnectionFactory factory;
        private final String queue;
        private final byte[] body;
        private final long warmupEnd;
        private final long end;
        private long[] latencies = new long[1 << 16];
        private int count;
        private Exception failure;

        Client(ConnectionFactory factory, String queue, byte[] body, long warmupEnd, long end) {
            this.factory = factory;
            this.queue = queue;
            this.body = body;
            this.warmupEnd = warmupEnd;
            this.end = end;
        }

        @Override
        public void run() {
            try (Connection connection = factory.newConnection("rpc-bench-client")) {
                Channel channel = connection.createChannel();
                BlockingQueue<String> replies = new ArrayBlockingQueue<>(1);
                channel.basicConsume(REPLY_TO, true, (tag, reply) -> replies.add(reply.getProperties()
                        .getCorrelationId()), tag -> { });
                long next = 0;
                long now;
                while ((now = System.nanoTime()) < end) {
                    String id = Long.toString(next++);
                    channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().replyTo(REPLY_TO)
                            .correlationId(id).build(), body);
                    String answered = replies.poll(30, TimeUnit.SECONDS);
                    if (!id.equals(answered)) {
                        throw new IllegalStateException("request " + id + " got reply " + answered);
                    }
                    if (now >= warmupEnd) {
                        record(System.nanoTime() - now);
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        long[] latencies() {
            return Arrays.copyOf(latencies, count);
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void report(String url, int clients, int seconds, long[] latencies) {
        Arrays.sort(latencies);
        System.out.printf("RPC with direct reply-to against %s: %d client(s), %d s measured%n",
                url.replaceAll("//[^@/]*@", "//"), clients, seconds);
        if (latencies.length == 0) {
            System.out.println("no round trip completed");
            return;
        }
        System.out.printf("round trips/s %.0f   p50 %.3f ms   p99 %.3f ms   max %.3f ms%n",
                latencies.length / (double) seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
