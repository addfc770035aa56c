package io.ferrymq.it.crash;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ferrymq.testkit.ChildBroker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The child brokers the crash tests kill, and their clients' connections: one recipe for every crash test. */
public final class CrashChildren {

    private CrashChildren() {
    }

    /**
     * A child broker on {@code dataDir} with the testkit's small heap, and C1 only: most of a crash round is the
     * child's start, which C2 only slows.
     */
    public static ChildBroker start(Path dataDir, Duration readyTimeout) {
        return ChildBroker.builder(dataDir)
                .jvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .readyTimeout(readyTimeout)
                .start();
    }

    /**
     * A connection as guest, without automatic recovery (a killed broker must fail the test's client, not be
     * hidden by it), whose channel calls give up after {@code rpcTimeout}.
     */
    public static Connection connect(ChildBroker child, Duration rpcTimeout) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(child.host());
        factory.setPort(child.amqpPort());
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(30_000);
        factory.setChannelRpcTimeout((int) rpcTimeout.toMillis());
        return factory.newConnection();
    }
}
