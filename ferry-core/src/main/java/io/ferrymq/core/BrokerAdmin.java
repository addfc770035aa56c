package io.ferrymq.core;

import io.ferrymq.core.auth.AccessControl;
import io.ferrymq.core.deadletter.Redrive;
import io.ferrymq.core.policy.Policies;
import io.ferrymq.core.policy.Policy;
import io.ferrymq.core.trace.Tracer;
import io.ferrymq.core.vhost.VirtualHostInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an operator changes: users and permissions ({@link #access()}) and virtual hosts. Thread-safe; every change
 * is durable once its future completes (possibly on a store thread). Who may do what is the caller's business
 * (the management API checks the user's tags).
 */
public interface BrokerAdmin {

    AccessControl access();

    /** The policies (read); change them with {@link #putPolicy} and {@link #deletePolicy}. */
    Policies policies();

    /**
     * Adds or replaces a policy and applies the policies anew to the vhost's queues.
     *
     * @throws BrokerException NOT_FOUND when the vhost does not exist, PRECONDITION_FAILED for a bad pattern
     */
    CompletableFuture<Void> putPolicy(Policy policy);

    /** Deletes a policy and applies the others anew; NOT_FOUND when there is none of that name. */
    CompletableFuture<Void> deletePolicy(String vhost, String name);

    /** Message trace: its settings and its events. */
    Tracer tracer();

    /**
     * Moves messages out of a queue ({@link Redrive}) as {@code user}, who needs read on the queue and write on
     * the target exchange (the default one without an exchange); runs off the caller's thread.
     *
     * @throws BrokerException NOT_FOUND (vhost, queue, exchange), ACCESS_REFUSED, PRECONDITION_FAILED (bad request)
     */
    CompletableFuture<Redrive.Result> redrive(String user, String vhost, String queue, Redrive.Request request);

    /** Every vhost with its description and tags, by name. */
    List<VirtualHostInfo> virtualHostInfos();

    /** Creates a vhost (with the predeclared exchanges), or updates its description and tags. */
    CompletableFuture<Void> putVirtualHost(VirtualHostInfo info);

    /**
     * Deletes a vhost with everything in it: its connections are closed, its queues (and their messages),
     * exchanges, bindings and the permissions given in it are deleted.
     *
     * @throws BrokerException NOT_FOUND when there is no such vhost
     */
    CompletableFuture<Void> deleteVirtualHost(String name);

    /**
     * Closes a client connection as an operator: the client is told {@code reason} (AMQP: 320 CONNECTION_FORCED).
     *
     * @throws BrokerException NOT_FOUND when no connection has this id
     */
    void closeConnection(String id, String reason);

    /**
     * A connection whose sessions skip permission checks, for work an operator asked for as a whole (importing
     * definitions into a vhost the operator has no permissions in).
     *
     * @throws BrokerException NOT_FOUND when the vhost does not exist
     */
    BrokerConnection connectTrusted(ConnectionInfo info, String vhost);
}
