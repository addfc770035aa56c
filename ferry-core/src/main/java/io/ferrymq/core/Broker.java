package io.ferrymq.core;

/** The broker as a protocol adapter sees it: authentication, admission, alarms. Thread-safe. */
public interface Broker {

    /**
     * Checks a user's password.
     *
     * @param fromLoopback whether the client connects from a loopback address ({@code guest} may
     *                     only log in from there)
     * @throws BrokerException ACCESS_REFUSED with a reason when the login is refused
     */
    void authenticate(String username, String password, boolean fromLoopback);

    /**
     * Admits an authenticated client into a virtual host.
     *
     * @throws BrokerException NOT_ALLOWED when the vhost does not exist or the user may not use it
     */
    BrokerConnection connect(ConnectionInfo info, String vhost);

    /** Registers for memory alarms; the listener is told at once if an alarm is already on. */
    void addAlarmListener(AlarmListener listener);

    void removeAlarmListener(AlarmListener listener);

    /** Stops the broker: cancels consumers, closes connections' sessions. */
    void shutdown();
}
