package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.auth.Access;
import io.ferrymq.core.auth.Resource;
import io.ferrymq.core.vhost.VirtualHost;

/**
 * What a session's user may do, checked on every operation (RabbitMQ's model: see docs/OPERATIONS.md). Holds no
 * state of its own.
 */
final class SessionPermissions {
    private final LocalConnection connection;
    private final VirtualHost vhost;
    private final SessionServices services;

    SessionPermissions(LocalConnection connection, VirtualHost vhost, SessionServices services) {
        this.connection = connection;
        this.vhost = vhost;
        this.services = services;
    }

    /** @throws BrokerException ACCESS_REFUSED when this connection's user may not */
    void permit(Resource resource, Access access) {
        services.authorizer().check(connection.info().user(), resource, access);
    }

    /** A binding lets messages flow from the source exchange into the destination: write there, read here. */
    void permitBinding(Resource destination, String source) {
        permit(destination, Access.WRITE);
        permit(exchange(source), Access.READ);
    }

    Resource queue(String name) {
        return Resource.queue(vhost.name(), name);
    }

    Resource exchange(String name) {
        return Resource.exchange(vhost.name(), name);
    }
}
