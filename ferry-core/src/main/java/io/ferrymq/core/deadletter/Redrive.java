package io.ferrymq.core.deadletter;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.trace.TraceEvent;
import io.ferrymq.core.trace.Tracer;
import io.ferrymq.core.vhost.VirtualHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Moves messages out of a (dead-letter) queue: back to the queue their latest {@code x-death} names (through the
 * default exchange), or to a given exchange. Each message is taken as an unacknowledged get, published to its
 * target and, once every copy there is as safe as a publish would be (stored when persistent), acknowledged: a
 * message is never lost, and a crash in between can leave it in both queues. Messages that are not moved (no
 * {@code x-death}, their queue is gone, the filter does not match, the target refused) stay where they were, in
 * their order, and are counted as skipped. At most the messages ready when it starts are looked at. Runs on the
 * caller's thread and waits for the store.
 */
public final class Redrive {

    /**
     * What to move and where.
     *
     * @param exchange     the target exchange, or null: each message to the queue its latest x-death names
     * @param routingKey   with {@code exchange}: the routing key (null: the message's own)
     * @param limit        move at most this many
     * @param reason       only messages whose latest death has this reason ({@code rejected}...), or null
     * @param fromQueue    only messages whose latest death was in this queue, or null
     */
    public record Request(String exchange, String routingKey, int limit, String reason, String fromQueue) {
    }

    public record Result(int moved, int skipped) {
    }

    private Redrive() {
    }

    public static Result run(VirtualHost vhost, Queue source, Request request) {
        Exchange exchange = request.exchange() == null ? null : vhost.exchangeForPublish(request.exchange());
        int examine = source.readyCount();
        List<Long> kept = new ArrayList<>();
        int moved = 0;
        try {
            for (int i = 0; i < examine && moved < request.limit(); i++) {
                long[] id = new long[1];
                Message[] taken = new Message[1];
                // the broker's own get and ack are not part of the message's trace: its redrive is
                GetResult got = vhost.tracer().unrecorded(() -> source.get(false,
                        (queue, deliveryId, message, count, settled) -> {
                            id[0] = deliveryId;
                            taken[0] = message;
                            return new Delivery(null, deliveryId, count > 0, count, message);
                        }));
                if (got.isEmpty()) {
                    break;
                }
                if (move(vhost, source, exchange, request, taken[0])) {
                    vhost.tracer().unrecorded(() -> {
                        source.settle(id, SettleOp.ACK);
                        return null;
                    });
                    moved++;
                } else {
                    kept.add(id[0]);
                }
            }
        } finally {
            if (!kept.isEmpty()) {
                source.giveBack(kept.stream().mapToLong(Long::longValue).toArray());
            }
        }
        return new Result(moved, kept.size());
    }

    /** Publishes the message to its target and waits until it is safe there; false when it is not moved. */
    private static boolean move(VirtualHost vhost, Queue source, Exchange exchange, Request request,
                                Message message) {
        Map<String, Object> death = latestDeath(message);
        if (request.reason() != null && (death == null || !request.reason().equals(text(death.get("reason"))))) {
            return false;
        }
        if (request.fromQueue() != null && (death == null || !request.fromQueue().equals(text(death.get("queue"))))) {
            return false;
        }
        Message out;
        Exchange target;
        if (exchange == null) {
            String queue = death == null ? null : text(death.get("queue"));
            if (queue == null || vhost.existingQueue(queue) == null) {
                return false;
            }
            target = vhost.exchange("");
            out = new Message("", queue, message.properties(), message.body());
        } else {
            target = exchange;
            out = new Message(exchange.name(), request.routingKey() == null ? message.routingKey()
                    : request.routingKey(), message.properties(), message.body());
        }
        List<Queue> targets = vhost.route(target, out);
        if (targets.isEmpty()) {
            return false;
        }
        Tracer tracer = vhost.tracer();
        if (tracer.on()) {
            boolean traced = tracer.traces(vhost.name(), source.name());
            List<String> names = new ArrayList<>();
            for (Queue queue : targets) {
                names.add(queue.name());
                traced |= tracer.traces(vhost.name(), queue.name());
            }
            if (traced) {
                tracer.record(TraceEvent.of("redriven", vhost.name(), out).inQueue(source.name()).withQueues(names));
            }
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Queue queue : targets) {
            CompletableFuture<Void> safe = queue.offer(out);
            if (safe != null) {
                writes.add(safe);
            }
        }
        if (writes.isEmpty()) {
            return false;
        }
        try {
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
            return true;
        } catch (CompletionException refusedOrFailed) {
            // a full target refused it, or the store failed: it stays here (a copy may have reached another target)
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> latestDeath(Message message) {
        Map<String, Object> headers = message.properties().headers();
        Object deaths = headers == null ? null : headers.get(DeathHeaders.X_DEATH);
        if (deaths instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            return (Map<String, Object>) first;
        }
        return null;
    }

    private static String text(Object value) {
        return value == null ? null : FieldValues.asString(value).orElse(null);
    }

    /** The checks of a request's values; the caller reports them as bad input. */
    public static void check(Request request) {
        if (request.limit() < 1) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "limit " + request.limit()
                    + " is not positive; use 1 or more");
        }
        if (request.routingKey() != null && request.exchange() == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "routing_key needs exchange too");
        }
    }
}
