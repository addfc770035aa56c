package io.ferrymq.core.auth;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Users by name, in memory; {@link AccessControl} keeps them durable. Thread-safe. */
public final class UserStore {
    /** As RabbitMQ's default {@code loopback_users}: these may only log in from a loopback address. */
    private static final Set<String> LOOPBACK_USERS = Set.of("guest");

    private final Map<String, User> users = new ConcurrentHashMap<>();

    /** Adds a user or replaces it. */
    void put(User user) {
        users.put(user.name(), user);
    }

    /** Returns the removed user, or null. */
    User remove(String name) {
        return users.remove(name);
    }

    /** The user, or null. */
    public User get(String name) {
        return users.get(name);
    }

    /** Every user, by name. */
    public List<User> list() {
        return users.values().stream().sorted(Comparator.comparing(User::name)).toList();
    }

    boolean isEmpty() {
        return users.isEmpty();
    }

    /**
     * @throws BrokerException ACCESS_REFUSED for an unknown user, a wrong password, a user without a password, or
     *                         a loopback-only user connecting from elsewhere
     */
    public void authenticate(String username, String password, boolean fromLoopback) {
        User user = users.get(username);
        if (user == null || password == null || user.passwordHash() == null
                || !user.passwordHash().matches(password)) {
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
