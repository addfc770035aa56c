package io.ferrymq.http;

import io.ferrymq.core.AlarmListener;
import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.stats.BrokerStats;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A broker with one user, {@code admin}/{@code secret}, whose view reports what a test puts in its fields. */
final class FakeBroker implements Broker, BrokerView {
    final List<AlarmListener> alarmListeners = new CopyOnWriteArrayList<>();
    volatile Boolean lastLoginFromLoopback;
    volatile List<QueueSnapshot> queues = List.of();
    volatile List<ExchangeSnapshot> exchanges = List.of();
    volatile int connections;

    @Override
    public void authenticate(String username, String password, boolean fromLoopback) {
        lastLoginFromLoopback = fromLoopback;
        if (!username.equals("admin") || !password.equals("secret")) {
            throw new BrokerException(Condition.ACCESS_REFUSED, "user '" + username + "' or its password is wrong");
        }
    }

    @Override
    public BrokerConnection connect(ConnectionInfo info, String vhost) {
        throw new UnsupportedOperationException("the HTTP API does not connect");
    }

    @Override
    public void addAlarmListener(AlarmListener listener) {
        alarmListeners.add(listener);
    }

    @Override
    public void removeAlarmListener(AlarmListener listener) {
        alarmListeners.remove(listener);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<String> virtualHosts() {
        return List.of("/");
    }

    @Override
    public List<QueueSnapshot> queues() {
        return queues;
    }

    @Override
    public List<ExchangeSnapshot> exchanges() {
        return exchanges;
    }

    @Override
    public int connectionCount() {
        return connections;
    }

    @Override
    public BrokerStats.Snapshot stats() {
        return new BrokerStats().snapshot();
    }

    @Override
    public long memoryUsedBytes() {
        return 0;
    }

    @Override
    public boolean memoryAlarm() {
        return false;
    }
}
