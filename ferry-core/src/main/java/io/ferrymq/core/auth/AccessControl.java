package io.ferrymq.core.auth;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Users and permissions, durable: every change updates the in-memory {@link UserStore} and {@link PermissionTable}
 * and writes (or removes) its record in the {@link Persistence}. Thread-safe; changes are serialised on this
 * object so that the store sees them in the order the tables did. Returned futures complete once the change is
 * durable, possibly on a store thread.
 */
public final class AccessControl {
    private final Persistence persistence;
    private final UserStore users = new UserStore();
    private final PermissionTable permissions = new PermissionTable();
    private final SecureRandom random = new SecureRandom();
    /** Store keys of users (by name) and permissions; guarded by this. */
    private final Map<String, Long> userKeys = new HashMap<>();
    private final Map<PermissionTable.Key, Long> permissionKeys = new HashMap<>();

    public AccessControl(Persistence persistence) {
        this.persistence = persistence;
    }

    public UserStore users() {
        return users;
    }

    public PermissionTable permissions() {
        return permissions;
    }

    /** Hashes {@code password} (salted SHA-256) and adds or replaces the user. */
    public CompletableFuture<Void> putUser(String name, String password, Set<String> tags) {
        return putUser(new User(name, password == null ? null : PasswordHash.of(password, random), tags));
    }

    public synchronized CompletableFuture<Void> putUser(User user) {
        if (user.name().isEmpty()) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "a user needs a name");
        }
        users.put(user);
        long key = userKeys.computeIfAbsent(user.name(), name -> persistence.newKey());
        return persistence.put(key, BrokerRecords.user(record(user)));
    }

    /** Deletes the user and its permissions in every vhost; NOT_FOUND when there is no such user. */
    public synchronized CompletableFuture<Void> deleteUser(String name) {
        if (users.remove(name) == null) {
            throw new BrokerException(Condition.NOT_FOUND, "no user '" + name + "'");
        }
        CompletableFuture<Void> written = remove(userKeys.remove(name));
        for (Permission permission : permissions.list()) {
            if (permission.user().equals(name)) {
                written = written.thenCombine(clearPermission(name, permission.vhost()), (a, b) -> null);
            }
        }
        return written;
    }

    /** Sets a user's permission in a vhost; NOT_FOUND when the user does not exist. */
    public synchronized CompletableFuture<Void> setPermission(Permission permission) {
        if (users.get(permission.user()) == null) {
            throw new BrokerException(Condition.NOT_FOUND, "no user '" + permission.user() + "': create it before"
                    + " giving it permissions");
        }
        permissions.put(permission);
        long key = permissionKeys.computeIfAbsent(new PermissionTable.Key(permission.vhost(), permission.user()),
                k -> persistence.newKey());
        return persistence.put(key, BrokerRecords.permission(new BrokerRecords.PermissionRecord(permission.user(),
                permission.vhost(), permission.configure(), permission.write(), permission.read())));
    }

    /** Removes a user's permission in a vhost; NOT_FOUND when it has none there. */
    public synchronized CompletableFuture<Void> clearPermission(String user, String vhost) {
        if (permissions.remove(user, vhost) == null) {
            throw new BrokerException(Condition.NOT_FOUND, "user '" + user + "' has no permissions in vhost '"
                    + vhost + "'");
        }
        return remove(permissionKeys.remove(new PermissionTable.Key(vhost, user)));
    }

    /** Removes every permission in a vhost that is being deleted. */
    public synchronized CompletableFuture<Void> clearVhost(String vhost) {
        CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
        for (Permission permission : permissions.list()) {
            if (permission.vhost().equals(vhost)) {
                written = written.thenCombine(clearPermission(permission.user(), vhost), (a, b) -> null);
            }
        }
        return written;
    }

    /** Whether no user exists: a fresh node, which gets the default user. */
    public boolean hasNoUsers() {
        return users.isEmpty();
    }

    // ---- recovery

    /** Rebuilds a user from its record at start, without writing it again. */
    public synchronized void restoreUser(long key, ByteBuffer record) {
        BrokerRecords.UserRecord r = BrokerRecords.readUser(record);
        PasswordHash hash = r.hash() == null ? null : new PasswordHash(r.salt(), r.hash());
        users.put(new User(r.name(), hash, Set.copyOf(r.tags())));
        userKeys.put(r.name(), key);
    }

    /** Rebuilds a permission from its record at start, without writing it again. */
    public synchronized void restorePermission(long key, ByteBuffer record) {
        BrokerRecords.PermissionRecord r = BrokerRecords.readPermission(record);
        permissions.put(new Permission(r.user(), r.vhost(), r.configure(), r.write(), r.read()));
        permissionKeys.put(new PermissionTable.Key(r.vhost(), r.user()), key);
    }

    private static BrokerRecords.UserRecord record(User user) {
        PasswordHash hash = user.passwordHash();
        return new BrokerRecords.UserRecord(user.name(), hash == null ? null : hash.salt(),
                hash == null ? null : hash.hash(), List.copyOf(user.tags()));
    }

    private CompletableFuture<Void> remove(Long key) {
        return key == null ? CompletableFuture.completedFuture(null) : persistence.remove(key);
    }
}
