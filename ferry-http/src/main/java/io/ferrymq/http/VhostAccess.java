package io.ferrymq.http;

import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.auth.User;

/**
 * Which vhosts a user of the API sees, as in RabbitMQ: administrators and monitoring users every vhost, other
 * management users the vhosts they have a permission in. Thread-safe (reads the broker's current state).
 */
final class VhostAccess {
    private final BrokerAdmin admin;

    VhostAccess(BrokerAdmin admin) {
        this.admin = admin;
    }

    boolean sees(User user, String vhost) {
        return user.seesAllVhosts() || admin.access().permissions().get(user.name(), vhost) != null;
    }

    /**
     * @throws ApiException 404 when the vhost does not exist, 403 when the user may not see it
     */
    void require(User user, String vhost) {
        if (admin.virtualHostInfos().stream().noneMatch(info -> info.name().equals(vhost))) {
            throw ApiException.notFound("no vhost '" + vhost + "'");
        }
        if (!sees(user, vhost)) {
            throw ApiException.forbidden("access to vhost '" + vhost + "' refused for user '" + user.name() + "'");
        }
    }
}
