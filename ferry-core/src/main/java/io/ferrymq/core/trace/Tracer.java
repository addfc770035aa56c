package io.ferrymq.core.trace;

import io.ferrymq.common.Clock;
import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueSettings;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Message trace: records what happens to messages in the vhosts and queues where trace is on (per vhost, per
 * queue, or through a policy with {@code trace: true}), keeps the last events within bounds (a count and an age)
 * in memory with an index by message id and by correlation id, and, once {@link #open} gave it a directory, in
 * append-only files there, so that a restart keeps them.
 *
 * <p>Cost when off: every place that records first reads {@link #on()}, one volatile boolean, and allocates
 * nothing. Thread-safe: recording and queries are serialised on this object (a leaf lock: callers may hold a queue
 * lock; nothing here calls out).
 */
public final class Tracer {
    /** Defaults of {@code trace.max_events} and {@code trace.max_age}. */
    public static final int DEFAULT_MAX_EVENTS = 100_000;
    public static final long DEFAULT_MAX_AGE_MILLIS = 24 * 60 * 60 * 1000L;
    private static final long SEGMENT_BYTES = 4L * 1024 * 1024;
    private static final long FLUSH_MILLIS = 200;

    private final Clock clock;
    /** Set while the broker's own work (a redrive's get and ack) runs on this thread: not recorded. */
    private final ThreadLocal<Boolean> unrecorded = ThreadLocal.withInitial(() -> false);
    private volatile boolean on;
    private final Set<String> vhosts = ConcurrentHashMap.newKeySet();
    /** (vhost, queue) pairs with trace on by hand, and by policy. */
    private final Set<List<String>> queues = ConcurrentHashMap.newKeySet();
    private final Set<List<String>> policyQueues = ConcurrentHashMap.newKeySet();
    /**
     * A kept event: its encoded form (as in the files) and what the index and eviction need. Two objects an
     * event rather than a graph of maps and strings, so that keeping 100,000 of them costs the collector little.
     */
    private record Kept(long seq, long timestamp, String vhost, String messageId, String correlationId,
                        byte[] encoded) {
    }

    // guarded by this
    private final ArrayDeque<Kept> events = new ArrayDeque<>();
    /** vhost, then id: the strings are the messages' own, whose hashes are cached, so no key is built. */
    private final Map<String, Map<String, ArrayDeque<Kept>>> byMessageId = new HashMap<>();
    private final Map<String, Map<String, ArrayDeque<Kept>>> byCorrelationId = new HashMap<>();
    private int maxEvents = DEFAULT_MAX_EVENTS;
    private long maxAgeMillis = DEFAULT_MAX_AGE_MILLIS;
    private long nextSeq = 1;
    private TraceStore store;
    private ScheduledExecutorService flusher;

    public Tracer(Clock clock) {
        this.clock = clock;
    }

    /** Whether trace is on anywhere: the one check on every path that records. */
    public boolean on() {
        return on;
    }

    /** Whether events of this queue are recorded (its vhost's trace, its own, or its policy's is on). */
    public boolean traces(String vhost, String queue) {
        return on && (vhosts.contains(vhost) || queues.contains(List.of(vhost, queue))
                || policyQueues.contains(List.of(vhost, queue)));
    }

    public boolean tracesVhost(String vhost) {
        return on && vhosts.contains(vhost);
    }

    // ---- settings

    /**
     * Keeps events in {@code dir} from now on, after loading those kept there (within the bounds) and the trace
     * settings. Called once, at start, before clients connect.
     */
    public synchronized void open(Path dir, int maxEventsKept, long maxAge) {
        this.maxEvents = maxEventsKept;
        this.maxAgeMillis = maxAge;
        store = new TraceStore(dir, SEGMENT_BYTES);
        store.loadSettings(vhosts, queues);
        for (TraceEvent event : store.load()) {
            keep(event, TraceCodec.encode(event));
            nextSeq = Math.max(nextSeq, event.seq() + 1);
        }
        evict();
        recompute();
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ferry-trace-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes what is buffered and stops writing; later events are kept in memory only. */
    public synchronized void close() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private synchronized void flush() {
        if (store != null) {
            store.flush();
        }
    }

    public synchronized void enableVhost(String vhost, boolean enabled) {
        if (enabled) {
            vhosts.add(vhost);
        } else {
            vhosts.remove(vhost);
        }
        settingsChanged();
    }

    public synchronized void enableQueue(String vhost, String queue, boolean enabled) {
        if (enabled) {
            queues.add(List.of(vhost, queue));
        } else {
            queues.remove(List.of(vhost, queue));
        }
        settingsChanged();
    }

    /** A queue's policy turned trace on or off for it (not saved: policies are applied again at start). */
    public synchronized void policyTrace(String vhost, String queue, boolean enabled) {
        if (enabled) {
            policyQueues.add(List.of(vhost, queue));
        } else if (!policyQueues.remove(List.of(vhost, queue))) {
            return;
        }
        recompute();
    }

    /** A vhost was deleted: its trace settings go (its events age out). */
    public synchronized void forgetVhost(String vhost) {
        vhosts.remove(vhost);
        queues.removeIf(q -> q.get(0).equals(vhost));
        policyQueues.removeIf(q -> q.get(0).equals(vhost));
        settingsChanged();
    }

    public boolean vhostEnabled(String vhost) {
        return vhosts.contains(vhost);
    }

    /** The queues of the vhost with trace on, by hand or by policy, by name. */
    public List<String> queuesEnabled(String vhost) {
        Set<String> names = new TreeSet<>();
        for (Set<List<String>> set : List.of(queues, policyQueues)) {
            set.forEach(q -> {
                if (q.get(0).equals(vhost)) {
                    names.add(q.get(1));
                }
            });
        }
        return List.copyOf(names);
    }

    private void settingsChanged() {
        if (store != null) {
            store.saveSettings(Set.copyOf(vhosts), Set.copyOf(queues));
        }
        recompute();
    }

    private void recompute() {
        on = !vhosts.isEmpty() || !queues.isEmpty() || !policyQueues.isEmpty();
    }

    // ---- recording

    /** Runs {@code work} on this thread without recording its events (the broker moving a message itself). */
    public <T> T unrecorded(java.util.function.Supplier<T> work) {
        if (!on) {
            return work.get();
        }
        unrecorded.set(true);
        try {
            return work.get();
        } finally {
            unrecorded.set(false);
        }
    }

    /** Records the event, numbered and stamped now. */
    public void record(TraceEvent event) {
        if (unrecorded.get()) {
            return;
        }
        append(event);
    }

    private synchronized void append(TraceEvent event) {
        TraceEvent stamped = event.stamped(nextSeq++, clock.millis());
        byte[] encoded = TraceCodec.encode(stamped);
        keep(stamped, encoded);
        if (store != null) {
            store.append(stamped.seq(), encoded);
        }
        evict();
    }

    /** Records {@code event} about {@code message} in a traced queue. Call only when {@link #on()}. */
    public void queueEvent(String event, QueueSettings queue, Message message) {
        if (message != null && traces(queue.vhost(), queue.name())) {
            record(TraceEvent.of(event, queue.vhost(), message).inQueue(queue.name()));
        }
    }

    /**
     * A publish and where it went: {@code published} and {@code routed} (or {@code unroutable}), when its vhost
     * or one of its queues is traced. Call only when {@link #on()}.
     */
    public void published(String vhost, Message message, List<Queue> targets, String connection) {
        boolean traced = tracesVhost(vhost);
        List<String> names = new ArrayList<>(targets.size());
        for (Queue queue : targets) {
            names.add(queue.name());
            traced |= traces(vhost, queue.name());
        }
        if (!traced) {
            return;
        }
        record(TraceEvent.of("published", vhost, message).byConsumer(null, connection)
                .withProperties(properties(message.properties())));
        record(names.isEmpty() ? TraceEvent.of("unroutable", vhost, message)
                : TraceEvent.of("routed", vhost, message).withQueues(List.copyOf(names)));
    }

    private void keep(TraceEvent event, byte[] encoded) {
        Kept kept = new Kept(event.seq(), event.timestamp(), event.vhost(), event.messageId(),
                event.correlationId(), encoded);
        events.addLast(kept);
        index(byMessageId, kept.vhost(), kept.messageId(), kept);
        index(byCorrelationId, kept.vhost(), kept.correlationId(), kept);
    }

    private static void index(Map<String, Map<String, ArrayDeque<Kept>>> index, String vhost, String id, Kept kept) {
        if (id != null) {
            index.computeIfAbsent(vhost, v -> new HashMap<>()).computeIfAbsent(id, i -> new ArrayDeque<>())
                    .addLast(kept);
        }
    }

    /** Drops the oldest events beyond the count or older than the age; their files go once wholly dropped. */
    private void evict() {
        long oldest = clock.millis() - maxAgeMillis;
        boolean dropped = false;
        while (!events.isEmpty() && (events.size() > maxEvents || events.peekFirst().timestamp() < oldest)) {
            Kept gone = events.pollFirst();
            unindex(byMessageId, gone.vhost(), gone.messageId(), gone);
            unindex(byCorrelationId, gone.vhost(), gone.correlationId(), gone);
            dropped = true;
        }
        if (dropped && store != null) {
            store.dropBefore(events.isEmpty() ? nextSeq : events.peekFirst().seq());
        }
    }

    private static void unindex(Map<String, Map<String, ArrayDeque<Kept>>> index, String vhost, String id,
                                Kept gone) {
        Map<String, ArrayDeque<Kept>> ids = id == null ? null : index.get(vhost);
        ArrayDeque<Kept> list = ids == null ? null : ids.get(id);
        if (list != null && list.peekFirst() == gone) {
            list.pollFirst();
            if (list.isEmpty()) {
                ids.remove(id);
                if (ids.isEmpty()) {
                    index.remove(vhost);
                }
            }
        }
    }

    /**
     * The kept events of the message with this id (or, when {@code messageId} is null, this correlation id) in the
     * vhost, oldest first, at most {@code limit} (the latest ones).
     */
    public synchronized List<TraceEvent> query(String vhost, String messageId, String correlationId, int limit) {
        evict();
        Map<String, ArrayDeque<Kept>> ids = (messageId != null ? byMessageId : byCorrelationId).get(vhost);
        ArrayDeque<Kept> found = ids == null ? null : ids.get(messageId != null ? messageId : correlationId);
        if (found == null) {
            return List.of();
        }
        List<TraceEvent> latest = new ArrayList<>(Math.min(limit, found.size()));
        int skip = Math.max(0, found.size() - limit);
        for (Kept kept : found) {
            if (skip-- <= 0) {
                latest.add(TraceCodec.decode(kept.encoded()));
            }
        }
        return latest;
    }

    /** Events kept now (all vhosts). */
    public synchronized int size() {
        return events.size();
    }

    private static Map<String, Object> properties(MessageProperties p) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "content_type", p.contentType());
        put(out, "content_encoding", p.contentEncoding());
        if (p.headers() != null && !p.headers().isEmpty()) {
            Map<String, Object> headers = new LinkedHashMap<>();
            p.headers().forEach((k, v) -> headers.put(k, v instanceof Number n && !(v instanceof Double)
                    && !(v instanceof Float) ? Long.valueOf(n.longValue())
                    : v instanceof LongString s ? s.toString() : String.valueOf(v)));
            out.put("headers", headers);
        }
        put(out, "delivery_mode", p.deliveryMode() == null ? null : Long.valueOf(p.deliveryMode()));
        put(out, "priority", p.priority() == null ? null : Long.valueOf(p.priority()));
        put(out, "correlation_id", p.correlationId());
        put(out, "reply_to", p.replyTo());
        put(out, "expiration", p.expiration());
        put(out, "message_id", p.messageId());
        put(out, "timestamp", p.timestamp() == null ? null : Long.valueOf(p.timestamp().getEpochSecond()));
        put(out, "type", p.type());
        put(out, "user_id", p.userId());
        put(out, "app_id", p.appId());
        return out;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
