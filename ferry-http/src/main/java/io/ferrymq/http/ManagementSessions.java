package io.ferrymq.http;

import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.Session;
import io.ferrymq.core.auth.User;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs an API operation (declare, delete, bind, publish, get, purge) on a core session of a short-lived
 * connection opened as the requesting user, as RabbitMQ's management API does over its direct connections: the
 * broker's permission checks and error texts apply unchanged. The connection closes once the operation's stage
 * completes, which requeues whatever it left unacknowledged.
 */
final class ManagementSessions {
    /** The protocol such connections report; listings leave them out. */
    static final String PROTOCOL = "HTTP API";

    private final Broker broker;
    private final AtomicLong ids = new AtomicLong();

    ManagementSessions(Broker broker) {
        this.broker = broker;
    }

    /**
     * @throws io.ferrymq.core.BrokerException NOT_ALLOWED when the user has no permission in the vhost
     */
    <T> CompletionStage<T> run(User user, String vhost, Function<Session, CompletionStage<T>> operation) {
        String id = "HTTP API request " + ids.incrementAndGet() + " of user '" + user.name() + "'";
        BrokerConnection connection = broker.connect(new ConnectionInfo(id, user.name(), "", PROTOCOL, Map.of()),
                vhost);
        CompletionStage<T> result;
        try {
            result = operation.apply(connection.openSession(1));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((value, failure) -> connection.close());
    }
}
