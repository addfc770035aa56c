package io.ferrymq.core;

import io.ferrymq.core.auth.Access;
import io.ferrymq.core.auth.PasswordHash;
import io.ferrymq.core.auth.Permission;
import io.ferrymq.core.auth.Resource;
import io.ferrymq.core.auth.User;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.core.vhost.VirtualHostInfo;
import io.ferrymq.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.ferrymq.core.Fixtures.failure;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** Users, vhosts and permissions: RabbitMQ's matching rules, its error texts, and durability across restarts. */
class AccessControlTest {
    private static final BrokerConfig CONFIG = new BrokerConfig("admin", "secret", 1L << 40, 1024 * 1024);
    private static final StoreConfig STORE = StoreConfig.defaults().withSegmentBytes(1 << 20);

    @Test
    void patternsMatchAnywhereInTheNameAndTheEmptyPatternMatchesNothing() {
        Permission p = new Permission("bob", "/", "^bob-", "", "q");
        assertThat(p.permits(Access.CONFIGURE, "bob-1")).isTrue();
        assertThat(p.permits(Access.CONFIGURE, "alice-bob-1")).isFalse();
        assertThat(p.permits(Access.WRITE, "")).isFalse();
        assertThat(p.permits(Access.WRITE, "anything")).isFalse();
        assertThat(p.permits(Access.READ, "my-queue")).isTrue();
    }

    @Test
    void anInvalidPatternIsRefusedWithItsText() {
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> new Permission("bob", "/", "(", "", "")))
                .startsWith("invalid configure permission pattern '('");
    }

    @Test
    void checksUseRabbitMqsWordsAndTheDefaultExchangeIsAmqDefault() {
        LocalBroker broker = new LocalBroker(CONFIG, new ManualClock());
        broker.access().putUser("bob", "pw", Set.of());
        broker.access().setPermission(new Permission("bob", "/", "", "^amq\\.default$", ""));

        broker.access().permissions().check("bob", Resource.exchange("/", ""), Access.WRITE);
        assertThat(failure(Condition.ACCESS_REFUSED, () -> broker.access().permissions()
                .check("bob", Resource.queue("/", "q"), Access.READ)))
                .isEqualTo("access to queue 'q' in vhost '/' refused for user 'bob'");
        ConnectionInfo info = new ConnectionInfo("c", "bob", "127.0.0.1", "AMQP 0-9-1", Map.of());
        broker.addVirtualHost("other");
        assertThat(failure(Condition.NOT_ALLOWED, () -> broker.connect(info, "other")))
                .isEqualTo("access to vhost 'other' refused for user 'bob'");
        broker.shutdown();
    }

    @Test
    void aFreshNodeHasTheDefaultUserAsAdministratorWithEverythingOnSlash() {
        LocalBroker broker = new LocalBroker(CONFIG, new ManualClock());
        User admin = broker.access().users().get("admin");
        assertThat(admin.tags()).containsExactly(User.ADMINISTRATOR);
        Permission all = broker.access().permissions().get("admin", "/");
        assertThat(List.of(all.configure(), all.write(), all.read())).containsOnly(".*");
        assertThat(broker.virtualHosts()).containsExactly("/");
        broker.shutdown();
    }

    @Test
    void passwordHashesUseRabbitMqsEncoding() {
        PasswordHash hash = PasswordHash.of("secret", new Random(7));
        PasswordHash read = PasswordHash.decode(hash.encoded());
        assertThat(read.matches("secret")).isTrue();
        assertThat(read.salt()).hasSize(4);
        // RabbitMQ's own hash of "test12" from its docs' example definitions
        assertThat(PasswordHash.decode("kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR").matches("test12"))
                .isTrue();
    }

    @Test
    void usersVhostsAndPermissionsSurviveARestartAndDeletionsToo(@TempDir Path dir) throws Exception {
        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, new ManualClock(), store);
            join(broker.putVirtualHost(new VirtualHostInfo("staging", "for tests", List.of("qa"))));
            join(broker.putVirtualHost(new VirtualHostInfo("doomed", "", List.of())));
            join(broker.access().putUser("bob", "pw", Set.of(User.MANAGEMENT)));
            join(broker.access().putUser("carol", "pw", Set.of()));
            join(broker.access().setPermission(new Permission("bob", "staging", "^bob-", ".*", "")));
            join(broker.access().setPermission(new Permission("bob", "doomed", ".*", ".*", ".*")));
            join(broker.access().deleteUser("carol"));
            join(broker.deleteVirtualHost("doomed"));
            join(broker.access().putUser("admin", "changed", Set.of(User.ADMINISTRATOR)));
            broker.shutdown();
        }
        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, new ManualClock(), store);
            assertThat(broker.virtualHostInfos()).containsExactly(new VirtualHostInfo("/", "", List.of()),
                    new VirtualHostInfo("staging", "for tests", List.of("qa")));
            assertThat(broker.access().users().list()).extracting(User::name).containsExactly("admin", "bob");
            assertThat(broker.access().users().get("bob").tags()).containsExactly(User.MANAGEMENT);
            broker.authenticate("bob", "pw", false);
            // the configured password only counts on a fresh node: the changed one stays
            broker.authenticate("admin", "changed", true);
            assertThat(broker.access().permissions().list()).containsExactly(
                    new Permission("admin", "/", ".*", ".*", ".*"),
                    new Permission("bob", "staging", "^bob-", ".*", ""));
            broker.shutdown();
        }
    }
}
