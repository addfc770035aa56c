package io.ferrymq.core.vhost;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Generated names ({@code amq.gen-...}, {@code amq.ctag-...}) and name rules. Thread-safe. */
public final class Names {
    /** RabbitMQ's limit for queue and exchange names (a short string). */
    public static final int MAX_NAME_BYTES = 255;
    public static final String RESERVED_PREFIX = "amq.";

    private final SecureRandom random = new SecureRandom();

    /** The prefix followed by 22 characters of url-safe base64 (128 random bits). */
    public String generate(String prefix) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Refuses names longer than 255 bytes of UTF-8. */
    public static void checkLength(String kind, String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            String start = name.substring(0, Math.min(40, name.length()));
            throw new BrokerException(Condition.PRECONDITION_FAILED, kind + " name '" + start + "...' is " + bytes
                    + " bytes long: the limit is " + MAX_NAME_BYTES + " bytes of UTF-8");
        }
    }

    /** Refuses to create a queue or exchange whose name starts with the reserved "amq.". */
    public static void checkNotReserved(String kind, String name, String vhost) {
        if (name.startsWith(RESERVED_PREFIX)) {
            throw new BrokerException(Condition.ACCESS_REFUSED, kind + " name '" + name + "' in vhost '" + vhost
                    + "' contains reserved prefix 'amq.*': choose another name");
        }
    }
}
