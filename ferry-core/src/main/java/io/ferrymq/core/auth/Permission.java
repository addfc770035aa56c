package io.ferrymq.core.auth;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What one user may do in one vhost: three regular expressions over resource names. As in RabbitMQ a pattern
 * matches when it is found anywhere in the name (anchor it with {@code ^...$} for an exact match), and the empty
 * pattern matches nothing. Immutable; the patterns are compiled once, here, because they are checked on every
 * operation.
 */
public final class Permission {
    private final String user;
    private final String vhost;
    private final String configure;
    private final String write;
    private final String read;
    private final Pattern configurePattern;
    private final Pattern writePattern;
    private final Pattern readPattern;

    /** @throws BrokerException PRECONDITION_FAILED naming a pattern that is missing or invalid */
    public Permission(String user, String vhost, String configure, String write, String read) {
        this.user = Objects.requireNonNull(user);
        this.vhost = Objects.requireNonNull(vhost);
        this.configure = configure;
        this.write = write;
        this.read = read;
        this.configurePattern = compile("configure", configure);
        this.writePattern = compile("write", write);
        this.readPattern = compile("read", read);
    }

    public String user() {
        return user;
    }

    public String vhost() {
        return vhost;
    }

    public String configure() {
        return configure;
    }

    public String write() {
        return write;
    }

    public String read() {
        return read;
    }

    /** Whether the {@code access} pattern allows the resource name. */
    public boolean permits(Access access, String name) {
        Pattern pattern = switch (access) {
            case CONFIGURE -> configurePattern;
            case WRITE -> writePattern;
            case READ -> readPattern;
        };
        return pattern != null && pattern.matcher(name).find();
    }

    /** The compiled pattern, or null for "" (nothing). */
    private static Pattern compile(String which, String pattern) {
        if (pattern == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, which + " permission pattern is missing: use"
                    + " \"\" for none or \".*\" for all");
        }
        if (pattern.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "invalid " + which + " permission pattern '"
                    + pattern + "': " + e.getDescription());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permission p && user.equals(p.user) && vhost.equals(p.vhost)
                && configure.equals(p.configure) && write.equals(p.write) && read.equals(p.read);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, vhost, configure, write, read);
    }

    @Override
    public String toString() {
        return "permission of user '" + user + "' in vhost '" + vhost + "': configure '" + configure + "', write '"
                + write + "', read '" + read + "'";
    }
}
