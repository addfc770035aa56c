package io.ferrymq.examples;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Exactly-once processing with FerryMQ (guarantee G6 in docs/GUARANTEES.md): consume an input, process it, publish
 * the result and acknowledge the input in <em>one transaction</em>, with deduplication on the output queue.
 *
 * <ul>
 *   <li>The transaction (G5) makes "result published" and "input acknowledged" one durable step: after a crash
 *       either both happened or neither did, so an input is never lost and never acknowledged without its
 *       result.</li>
 *   <li>Deduplication on the output queue (G4) absorbs the duplicates that remain: an input published twice
 *       (its publisher resent it after a lost confirm) produces a result with the same key, which the output
 *       queue confirms and drops.</li>
 * </ul>
 * The result's key is derived from the input's {@code message-id}, so inputs need one (publishers set it).
 *
 * <p>Run it against a broker: {@code java ... io.ferrymq.examples.ExactlyOnceWorker amqp://guest:guest@localhost}.
 */
public final class ExactlyOnceWorker implements AutoCloseable {
    private final Channel channel;
    private final String input;
    private final String output;
    private final UnaryOperator<byte[]> work;

    /** A worker on its own transacted channel of {@code connection}. */
    public ExactlyOnceWorker(Connection connection, String input, String output, UnaryOperator<byte[]> work)
            throws IOException {
        this.channel = connection.createChannel();
        this.input = input;
        this.output = output;
        this.work = work;
        channel.txSelect();
    }

    /** The input queue (durable) and the output queue (durable, deduplicating on the message-id). */
    public static void declareQueues(Channel channel, String input, String output) throws IOException {
        channel.queueDeclare(input, true, false, false, null);
        channel.queueDeclare(output, true, false, false, Map.of(
                "x-message-deduplication", true,
                "x-cache-size", 1_000_000));
    }

    /**
     * Processes one input, if there is one. Returns false when the input queue is empty.
     *
     * @throws IOException if the broker or the connection failed: nothing of this input's transaction took effect
     *                     unless {@code tx.commit-ok} had arrived, and a new worker simply carries on
     */
    public boolean processOne() throws IOException {
        GetResponse in = channel.basicGet(input, false);
        if (in == null) {
            return false;
        }
        String inputId = in.getProps().getMessageId();
        if (inputId == null) {
            throw new IllegalArgumentException("input without a message-id: publishers must set one");
        }
        AMQP.BasicProperties resultProperties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)                       // persistent
                .messageId("result-of-" + inputId)     // the output queue's deduplication key
                .build();
        channel.basicPublish("", output, resultProperties, work.apply(in.getBody()));
        channel.basicAck(in.getEnvelope().getDeliveryTag(), false);
        channel.txCommit();                            // both, durably, or neither
        return true;
    }

    /** Processes inputs until the input queue is empty; returns how many. */
    public int drain() throws IOException {
        int processed = 0;
        while (processOne()) {
            processed++;
        }
        return processed;
    }

    @Override
    public void close() throws Exception {
        if (channel.isOpen()) {
            channel.close();
        }
    }

    /** Publishes ten inputs (one of them twice, as a publisher's resend), processes them, counts the results. */
    public static void main(String[] args) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args.length > 0 ? args[0] : "amqp://guest:guest@localhost:5672");
        try (Connection connection = factory.newConnection("exactly-once-example")) {
            Channel setup = connection.createChannel();
            declareQueues(setup, "example-inputs", "example-results");
            setup.confirmSelect();
            for (int i = 0; i < 10; i++) {
                publishInput(setup, "input-" + i, "hello " + i);
            }
            publishInput(setup, "input-3", "hello 3"); // a resend: its result is deduplicated
            setup.waitForConfirmsOrDie(10_000);

            int processed;
            try (ExactlyOnceWorker worker = new ExactlyOnceWorker(connection, "example-inputs", "example-results",
                    body -> new String(body, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
                            .getBytes(StandardCharsets.UTF_8))) {
                processed = worker.drain();
            }
            long results = setup.messageCount("example-results");
            System.out.println("processed " + processed + " inputs, " + results + " results in 'example-results'");
        }
    }

    private static void publishInput(Channel channel, String id, String body) throws IOException {
        channel.basicPublish("", "example-inputs", new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id)
                .build(), body.getBytes(StandardCharsets.UTF_8));
    }
}
