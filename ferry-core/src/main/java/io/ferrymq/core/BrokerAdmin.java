package io.ferrymq.core;

import io.ferrymq.core.auth.AccessControl;
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
