package io.ferrymq.core.queue;

/**
 * The machine's one question to the world outside it: may this consumer take one more delivery
 * now? Credit lives outside the queue because one limit (a session's global prefetch, a transport
 * that stopped being writable) spans many queues.
 */
@FunctionalInterface
public interface CreditGate {

    /**
     * Reserves room for one delivery to the consumer, or answers false. When it answers true the
     * machine emits exactly one {@link QueueEffect.Deliver} for that consumer.
     */
    boolean tryReserve(long consumerId);
}
