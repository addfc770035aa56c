package io.ferrymq.server;

import io.ferrymq.amqp.AmqpServerConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The {@code ferry.conf} keys and how each one changes the configuration. Names follow {@code rabbitmq.conf} so
 * that a RabbitMQ operator recognises them; docs/CONFIGURATION.md documents each.
 */
final class ConfigKeys {
    private static final Map<String, BiConsumer<ServerConfig.Builder, String>> SETTERS = setters();

    private ConfigKeys() {
    }

    /** Every key, in the order docs/CONFIGURATION.md lists them. */
    static Set<String> names() {
        return SETTERS.keySet();
    }

    static void apply(Setting setting, ServerConfig.Builder builder) {
        var setter = SETTERS.get(setting.key());
        if (setter == null) {
            throw new StartupException(setting.origin() + ": unknown key '" + setting.key()
                    + "' (docs/CONFIGURATION.md lists the keys)");
        }
        try {
            setter.accept(builder, setting.value());
        } catch (IllegalArgumentException invalid) {
            throw new StartupException(setting.origin() + ": " + setting.key() + " = '" + setting.value() + "': "
                    + invalid.getMessage());
        }
    }

    private static Map<String, BiConsumer<ServerConfig.Builder, String>> setters() {
        var setters = new LinkedHashMap<String, BiConsumer<ServerConfig.Builder, String>>();
        setters.put("listeners.tcp.default", (config, value) -> {
            var listener = ConfigValues.listener(value);
            if (listener.host() != null) {
                config.amqpHost = listener.host();
            }
            config.amqpPort = listener.port();
        });
        setters.put("management.tcp.port", (config, value) -> config.httpPort = ConfigValues.port(value));
        setters.put("management.tcp.ip", (config, value) -> config.httpHost = ConfigValues.nonEmpty(value));
        setters.put("data_dir", (config, value) -> config.dataDir = ConfigValues.path(value));
        setters.put("default_user", (config, value) -> config.defaultUser = ConfigValues.nonEmpty(value));
        setters.put("default_pass", (config, value) -> config.defaultPass = ConfigValues.nonEmpty(value));
        setters.put("vm_memory_high_watermark.relative", (config, value) ->
                config.memoryHighWatermark = new MemoryWatermark.Relative(ConfigValues.fraction(value)));
        setters.put("vm_memory_high_watermark.absolute", (config, value) ->
                config.memoryHighWatermark = new MemoryWatermark.Absolute(ConfigValues.bytes(value)));
        setters.put("disk_free_limit.absolute", (config, value) -> config.diskFreeLimitBytes = ConfigValues.bytes(value));
        // RabbitMQ's own ceiling for max_message_size is 512 MiB.
        setters.put("max_message_size", (config, value) ->
                config.maxMessageSizeBytes = ConfigValues.intBetween(value, 1, 512 * 1024 * 1024));
        // 4096 is AMQP's frame-min-size: every peer must accept frames that large.
        setters.put("frame_max", (config, value) ->
                config.frameMax = ConfigValues.intBetween(value, 4096, Integer.MAX_VALUE));
        // 0 offers "no limit", which AMQP spells as 65535 channels.
        setters.put("channel_max", (config, value) -> config.channelMax = ConfigValues.intBetween(value, 0, 65535));
        // 0 picks the default, half the cores (see AmqpServerConfig.defaultIoThreads).
        setters.put("io_threads", (config, value) ->
                config.ioThreads = ConfigValues.intBetween(value, 0, AmqpServerConfig.MAX_IO_THREADS));
        setters.put("heartbeat", (config, value) -> config.heartbeatSeconds = ConfigValues.intBetween(value, 0, 65535));
        setters.put("handshake_timeout", (config, value) ->
                config.handshakeTimeoutMillis = ConfigValues.intBetween(value, 1, Integer.MAX_VALUE));
        setters.put("consumer_timeout", (config, value) ->
                config.consumerTimeoutMillis = ConfigValues.intBetween(value, 1, Integer.MAX_VALUE));
        setters.put("trace.max_events", (config, value) ->
                config.traceMaxEvents = ConfigValues.intBetween(value, 1, Integer.MAX_VALUE));
        setters.put("trace.max_age", (config, value) ->
                config.traceMaxAgeMillis = ConfigValues.intBetween(value, 1, Integer.MAX_VALUE));
        setters.put("log.level", (config, value) -> config.logLevel = ConfigValues.logLevel(value));
        return Collections.unmodifiableMap(setters);
    }
}
