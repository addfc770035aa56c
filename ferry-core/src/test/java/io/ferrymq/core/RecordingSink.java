package io.ferrymq.core;

import java.util.ArrayList;
import java.util.List;

/** A DeliverySink that records what it is given; credit can be switched off. Thread-safe. */
final class RecordingSink implements DeliverySink {
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<String> cancellations = new ArrayList<>();
    private volatile boolean credit = true;

    @Override
    public synchronized void deliver(Delivery delivery) {
        deliveries.add(delivery);
    }

    @Override
    public synchronized void cancelled(String consumerTag, String reason) {
        cancellations.add(consumerTag + ": " + reason);
    }

    @Override
    public boolean hasCredit() {
        return credit;
    }

    void credit(boolean on) {
        credit = on;
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    synchronized List<String> bodies() {
        return deliveries.stream().map(d -> new String(d.message().body())).toList();
    }

    synchronized List<String> cancellations() {
        return List.copyOf(cancellations);
    }

    synchronized Delivery last() {
        return deliveries.get(deliveries.size() - 1);
    }

    synchronized int count() {
        return deliveries.size();
    }
}
