package io.ferrymq.core.auth;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users and their password hashes, in memory (persisted with the rest of the metadata later).
 * Thread-safe.
 */
public final class UserStore {
    /** As RabbitMQ's default {@code loopback_users}: these may only log in from a loopback address. */
    private static final Set<String> LOOPBACK_USERS = Set.of("guest");

    private final Map<String, PasswordHash> users = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Adds a user or replaces its password. */
    public void put(String username, String password) {
        users.put(username, PasswordHash.of(password, random));
    }

    /**
     * @throws BrokerException ACCESS_REFUSED for an unknown user, a wrong password, or a loopback-only
     *                         user connecting from elsewhere
     */
    public void authenticate(String username, String password, boolean fromLoopback) {
        PasswordHash hash = users.get(username);
        if (hash == null || password == null || !hash.matches(password)) {
            throw new BrokerException(Condition.ACCESS_REFUSED, "login refused for user '" + username
                    + "': wrong user name or password");
        }
        if (!fromLoopback && LOOPBACK_USERS.contains(username)) {
            throw new BrokerException(Condition.ACCESS_REFUSED, "login refused for user '" + username
                    + "': this user can only connect via localhost (see loopback_users in the configuration); "
                    + "create another user for remote access");
        }
    }
}
