package io.ferrymq.amqp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmqpServerConfigTest {

    @Test
    void theDefaultIoThreadsAreHalfTheCoresAtLeastOne() {
        assertThat(AmqpServerConfig.defaultIoThreads(1)).isEqualTo(1);
        assertThat(AmqpServerConfig.defaultIoThreads(2)).isEqualTo(1);
        assertThat(AmqpServerConfig.defaultIoThreads(3)).isEqualTo(1);
        assertThat(AmqpServerConfig.defaultIoThreads(4)).isEqualTo(2);
        assertThat(AmqpServerConfig.defaultIoThreads(16)).isEqualTo(8);
    }

    @Test
    void zeroIoThreadsMeansTheDefaultForThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();

        assertThat(AmqpServerConfig.defaults().ioThreads()).isZero();
        assertThat(AmqpServerConfig.defaults().effectiveIoThreads()).isEqualTo(Math.max(1, cores / 2));
        assertThat(AmqpServerConfig.defaults().withIoThreads(3).effectiveIoThreads()).isEqualTo(3);
        assertThat(AmqpServerConfig.defaults().withIoThreads(3).withPort(0).ioThreads()).isEqualTo(3);
    }

    @Test
    void ioThreadsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> AmqpServerConfig.defaults().withIoThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("io_threads -1 is outside 0..1024");
        assertThatThrownBy(() -> AmqpServerConfig.defaults().withIoThreads(1025))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("io_threads 1025 is outside 0..1024");
        assertThat(AmqpServerConfig.defaults().withIoThreads(1024).ioThreads()).isEqualTo(1024);
    }
}
