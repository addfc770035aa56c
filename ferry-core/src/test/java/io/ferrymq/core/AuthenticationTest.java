package io.ferrymq.core;

import io.ferrymq.core.auth.PasswordHash;
import io.ferrymq.core.auth.Permission;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.ferrymq.core.Fixtures.broker;
import static io.ferrymq.core.Fixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationTest {
    private final LocalBroker broker = broker(new ManualClock());

    @Test
    void defaultUserLogsInFromLoopbackOnly() {
        broker.authenticate("guest", "guest", true);
        assertThat(failure(Condition.ACCESS_REFUSED, () -> broker.authenticate("guest", "guest", false)))
                .contains("user 'guest'").contains("loopback_users");
    }

    @Test
    void wrongPasswordOrUnknownUserIsRefusedAlike() {
        String wrong = failure(Condition.ACCESS_REFUSED, () -> broker.authenticate("guest", "nope", true));
        assertThat(wrong).isEqualTo("login refused for user 'guest': wrong user name or password");
        assertThat(failure(Condition.ACCESS_REFUSED, () -> broker.authenticate("mallory", "x", true)))
                .isEqualTo("login refused for user 'mallory': wrong user name or password");
    }

    @Test
    void otherUsersMayConnectFromAnywhere() {
        broker.access().putUser("app", "s3cret", Set.of());
        broker.authenticate("app", "s3cret", false);
        failure(Condition.ACCESS_REFUSED, () -> broker.authenticate("app", "S3cret", false));
    }

    @Test
    void passwordsAreKeptAsSaltedHashes() {
        PasswordHash one = PasswordHash.of("guest", new Random(1));
        PasswordHash two = PasswordHash.of("guest", new Random(2));
        assertThat(one.matches("guest")).isTrue();
        assertThat(one.matches("guest ")).isFalse();
        assertThat(one.hash()).isNotEqualTo(two.hash()).hasSize(32);
        assertThat(new String(one.hash(), StandardCharsets.ISO_8859_1)).doesNotContain("guest");
    }

    @Test
    void unknownVhostIsNotAllowed() {
        ConnectionInfo info = new ConnectionInfo("c", "guest", "127.0.0.1", "AMQP 0-9-1", Map.of());
        assertThat(failure(Condition.NOT_ALLOWED, () -> broker.connect(info, "staging")))
                .startsWith("vhost 'staging' not found");
        broker.addVirtualHost("staging");
        broker.access().setPermission(new Permission("guest", "staging", ".*", ".*", ".*"));
        assertThat(broker.connect(info, "staging").vhost()).isEqualTo("staging");
        assertThat(broker.virtualHosts()).containsExactlyInAnyOrder("/", "staging");
    }
}
