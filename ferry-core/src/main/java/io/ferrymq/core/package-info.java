/**
 * The broker core: virtual hosts, exchanges and routing, queues, sessions and consumers, users,
 * alarms and counters, with no network and no protocol frames. {@link io.ferrymq.core.LocalBroker}
 * is the entry point; protocol adapters use {@link io.ferrymq.core.Broker} and
 * {@link io.ferrymq.core.Session} and are called back through {@link io.ferrymq.core.DeliverySink}.
 *
 * <h2>Threads and locks</h2>
 * Everything runs on the caller's thread. A publish routes under its virtual host's topology read
 * lock (collecting target queues only), releases it, then for each queue takes that queue's lock,
 * enqueues, dispatches to consumers with credit and releases. Dispatch numbers each delivery and
 * calls the sink under the consumer's session lock, inside the queue lock. The only lock order is
 * <em>queue lock, then session lock</em>; the topology lock is never held while either is taken,
 * and settlement first takes deliveries out of the session (session lock), releases it, and only
 * then calls the queues. Alarm listeners are called with no queue lock held.
 *
 * <h2>What is guaranteed today</h2>
 * Messages live in memory: a broker restart loses them. A transaction applies its buffered
 * publishes and settlements in order at commit, but not atomically: a consumer of another session
 * may see the first messages of a commit before the last ones are enqueued, and a commit is not
 * durable. Both come with the store.
 */
package io.ferrymq.core;
