package io.ferrymq.core.auth;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Permissions by vhost and user, in memory, and the checks every operation makes; {@link AccessControl} keeps
 * them durable. Thread-safe: a check reads the permission current at that moment, so a change applies to the next
 * operation of connections already open.
 */
public final class PermissionTable implements Authorizer {
    private final Map<Key, Permission> permissions = new ConcurrentHashMap<>();

    /** Where a permission is filed. */
    record Key(String vhost, String user) {
    }

    void put(Permission permission) {
        permissions.put(new Key(permission.vhost(), permission.user()), permission);
    }

    /** Returns the removed permission, or null. */
    Permission remove(String user, String vhost) {
        return permissions.remove(new Key(vhost, user));
    }

    /** The user's permission in the vhost, or null. */
    public Permission get(String user, String vhost) {
        return permissions.get(new Key(vhost, user));
    }

    /** Every permission, by vhost then user. */
    public List<Permission> list() {
        return permissions.values().stream()
                .sorted(Comparator.comparing(Permission::vhost).thenComparing(Permission::user)).toList();
    }

    /**
     * Admission to a vhost: any permission there, even three empty patterns, lets the user in (RabbitMQ).
     *
     * @throws BrokerException NOT_ALLOWED in RabbitMQ's words when the user has none
     */
    public void checkVhost(String user, String vhost) {
        if (get(user, vhost) == null) {
            throw new BrokerException(Condition.NOT_ALLOWED, "access to vhost '" + vhost + "' refused for user '"
                    + user + "'");
        }
    }

    /** @throws BrokerException ACCESS_REFUSED in RabbitMQ's words when the user may not */
    @Override
    public void check(String user, Resource resource, Access access) {
        Permission permission = get(user, resource.vhost());
        if (permission == null || !permission.permits(access, resource.name())) {
            throw new BrokerException(Condition.ACCESS_REFUSED, "access to "
                    + resource.describe() + " refused for user '" + user + "'");
        }
    }
}
