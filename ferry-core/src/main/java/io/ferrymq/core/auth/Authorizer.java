package io.ferrymq.core.auth;

/** Decides whether a user may do something to a resource; sessions ask it before every operation. */
@FunctionalInterface
public interface Authorizer {

    /** Allows everything: the broker's own work on an operator's behalf (a definitions import). */
    Authorizer TRUSTED = (user, resource, access) -> {
    };

    /** @throws io.ferrymq.core.BrokerException ACCESS_REFUSED when the user may not */
    void check(String user, Resource resource, Access access);
}
