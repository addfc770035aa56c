package io.ferrymq.amqp;

import io.ferrymq.common.message.LongString;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server-properties} table of {@code connection.start}, shaped like RabbitMQ's (keys
 * sorted, every value a longstr except the {@code capabilities} table of booleans) because client
 * libraries look features up there before using them.
 */
final class ServerProperties {
    static final String PRODUCT = "FerryMQ";

    /** Every extension a client may ask about; all implemented (or, for global qos, accepted). */
    private static final String[] CAPABILITIES = {
        "authentication_failure_close",
        "basic.nack",
        "connection.blocked",
        "consumer_cancel_notify",
        "consumer_priorities",
        "direct_reply_to",
        "exchange_exchange_bindings",
        "per_consumer_qos",
        "publisher_confirms",
    };

    private ServerProperties() {
    }

    static Map<String, Object> build(String version, String clusterName) {
        Map<String, Object> capabilities = new LinkedHashMap<>();
        for (String capability : CAPABILITIES) {
            capabilities.put(capability, Boolean.TRUE);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("capabilities", Collections.unmodifiableMap(capabilities));
        props.put("cluster_name", LongString.of(clusterName));
        props.put("copyright", LongString.of("Copyright (c) the FerryMQ authors"));
        props.put("information", LongString.of("FerryMQ, an AMQP 0-9-1 message broker"));
        props.put("platform", LongString.of("Java " + Runtime.version()));
        props.put("product", LongString.of(PRODUCT));
        props.put("version", LongString.of(version));
        return Collections.unmodifiableMap(props);
    }

    /**
     * Whether a client announced {@code capability} in its client-properties (a {@code
     * capabilities} table with the key set to true). Some server messages may only be sent then.
     */
    static boolean clientHas(Map<String, Object> clientProperties, String capability) {
        if (clientProperties == null) {
            return false;
        }
        Object caps = clientProperties.get("capabilities");
        return caps instanceof Map<?, ?> table && Boolean.TRUE.equals(table.get(capability));
    }
}
