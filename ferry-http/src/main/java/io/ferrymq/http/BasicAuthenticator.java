package io.ferrymq.http;

import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.auth.User;
import io.ferrymq.core.auth.UserStore;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Checks HTTP basic credentials against the broker's users, so the API and AMQP share one user base. */
final class BasicAuthenticator {
    private static final String SCHEME = "Basic ";

    private final Broker broker;
    private final UserStore users;

    BasicAuthenticator(Broker broker, UserStore users) {
        this.broker = broker;
        this.users = users;
    }

    /**
     * Returns the authenticated user, with its tags as they are now.
     *
     * @param authorization the request's Authorization header, or null when it sent none
     * @throws BrokerException ACCESS_REFUSED when credentials are missing, malformed or wrong
     */
    User authenticate(String authorization, boolean fromLoopback) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw refused("send the user and password of a broker user as HTTP basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw refused("the Authorization header is not valid base64 'user:password'");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw refused("the Authorization header holds no ':' between user and password");
        }
        String user = decoded.substring(0, colon);
        broker.authenticate(user, decoded.substring(colon + 1), fromLoopback);
        User found = users.get(user);
        if (found == null) { // deleted between the two calls
            throw refused("user '" + user + "' no longer exists");
        }
        return found;
    }

    private static BrokerException refused(String reason) {
        return new BrokerException(Condition.ACCESS_REFUSED, reason);
    }
}
