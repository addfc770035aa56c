package io.ferrymq.core;

/** queue.declare-ok: the (possibly server-chosen) name and the current counts. */
public record QueueDeclareResult(String queue, int messageCount, int consumerCount) {
}
