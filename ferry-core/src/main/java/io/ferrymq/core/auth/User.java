package io.ferrymq.core.auth;

import java.util.Set;

/**
 * A broker user: a name, a password hash (null: the user cannot log in with a password, as RabbitMQ's
 * password-less users) and tags that say what the management API lets it do.
 */
public record User(String name, PasswordHash passwordHash, Set<String> tags) {
    /** Everything: users, vhosts, permissions, every vhost's objects. */
    public static final String ADMINISTRATOR = "administrator";
    /** Read-only view of every vhost, node-wide details. */
    public static final String MONITORING = "monitoring";
    /** Like management, plus policies of its vhosts (RabbitMQ's tag; FerryMQ has no policies yet). */
    public static final String POLICYMAKER = "policymaker";
    /** The management API for the vhosts the user has permissions on. */
    public static final String MANAGEMENT = "management";

    public User {
        tags = Set.copyOf(tags);
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    public boolean isAdministrator() {
        return hasTag(ADMINISTRATOR);
    }

    /** Whether the user sees every vhost (administrator, monitoring) rather than only its own. */
    public boolean seesAllVhosts() {
        return isAdministrator() || hasTag(MONITORING);
    }

    /** Whether the user may use the management API at all. */
    public boolean mayManage() {
        return seesAllVhosts() || hasTag(POLICYMAKER) || hasTag(MANAGEMENT);
    }
}
