package io.ferrymq.it;

import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A consumer that records everything the broker tells it, for assertions. */
class Recorder extends DefaultConsumer {

    final BlockingQueue<Delivery> pending = new LinkedBlockingQueue<>();
    final List<Delivery> all = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> consumeOk = new CompletableFuture<>();
    final CompletableFuture<String> cancelOk = new CompletableFuture<>();
    /** Server-initiated basic.cancel (queue deleted). */
    final CompletableFuture<String> cancelled = new CompletableFuture<>();
    final CompletableFuture<ShutdownSignalException> shutdown = new CompletableFuture<>();

    Recorder(Channel channel) {
        super(channel);
    }

    @Override
    public void handleConsumeOk(String consumerTag) {
        super.handleConsumeOk(consumerTag);
        consumeOk.complete(consumerTag);
    }

    @Override
    public void handleCancelOk(String consumerTag) {
        cancelOk.complete(consumerTag);
    }

    @Override
    public void handleCancel(String consumerTag) {
        cancelled.complete(consumerTag);
    }

    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
        shutdown.complete(sig);
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        Delivery d = new Delivery(envelope, properties, body);
        all.add(d);
        pending.add(d);
    }

    /** The next delivery, or fail after {@link Amqp#TIMEOUT}. */
    Delivery next() throws InterruptedException {
        Delivery d = pending.poll(Amqp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) {
            fail("no delivery within " + Amqp.TIMEOUT + " (received so far: " + bodies() + ")");
        }
        return d;
    }

    List<Delivery> next(int n) throws InterruptedException {
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    List<String> bodies() {
        List<String> out = new ArrayList<>();
        for (Delivery d : all) {
            out.add(Amqp.str(d.getBody()));
        }
        return out;
    }

    int count() {
        return all.size();
    }
}
