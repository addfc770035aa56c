package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FieldTableCodec;
import io.ferrymq.common.message.LongString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SaslResponseTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] amqplain(Map<String, Object> entries) {
        ByteBuf table = Unpooled.buffer();
        FieldTableCodec.write(table, entries);
        table.skipBytes(4);
        byte[] result = new byte[table.readableBytes()];
        table.readBytes(result);
        table.release();
        return result;
    }

    @Test
    void plainIgnoresTheAuthorizationIdentity() {
        assertThat(SaslResponse.parse("PLAIN", bytes("admin\0user\0pass word")))
                .isEqualTo(new SaslResponse("user", "pass word"));
        assertThat(SaslResponse.parse("PLAIN", bytes("\0user\0")))
                .isEqualTo(new SaslResponse("user", ""));
    }

    @Test
    void plainWithoutTwoSeparatorsIsMalformed() {
        assertThat(SaslResponse.parse("PLAIN", bytes("user:pass"))).isNull();
        assertThat(SaslResponse.parse("PLAIN", bytes("\0user"))).isNull();
        assertThat(SaslResponse.parse("PLAIN", new byte[0])).isNull();
    }

    @Test
    void amqplainReadsLoginAndPassword() {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("LOGIN", LongString.of("user"));
        entries.put("PASSWORD", LongString.of("secret"));

        assertThat(SaslResponse.parse("AMQPLAIN", amqplain(entries))).isEqualTo(new SaslResponse("user", "secret"));
    }

    @Test
    void amqplainWithoutAPasswordOrWithGarbageIsMalformed() {
        assertThat(SaslResponse.parse("AMQPLAIN", amqplain(Map.of("LOGIN", LongString.of("user"))))).isNull();
        assertThat(SaslResponse.parse("AMQPLAIN", bytes("\u0005LOGINSxx"))).isNull();
    }

    @Test
    void onlyTheOfferedMechanismsAreSupported() {
        assertThat(SaslResponse.supports("PLAIN")).isTrue();
        assertThat(SaslResponse.supports("AMQPLAIN")).isTrue();
        assertThat(SaslResponse.supports("EXTERNAL")).isFalse();
        assertThat(SaslResponse.supports("plain")).isFalse();
    }
}
