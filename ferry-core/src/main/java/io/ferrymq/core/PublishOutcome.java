package io.ferrymq.core;

/** What became of a publish once the broker has taken responsibility for it. */
public enum PublishOutcome {
    /** Enqueued on at least one queue (and durable where it must be): confirm with ack. */
    ROUTED,
    /** No queue took it: return it if mandatory, and still confirm with ack (as RabbitMQ does). */
    UNROUTED,
    /** A queue refused it (e.g. length limit with reject-publish): confirm with nack. */
    REJECTED
}
