package io.ferrymq.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assembles the configuration from its sources. Precedence, highest first: command-line options, environment
 * variables, the config file, defaults. The file is the one {@code --config} names, else the one
 * {@code FERRY_CONFIG} names, else {@code ferry.conf} in the working directory if there is one.
 */
public final class ConfigLoader {
    public static final String CONFIG_FILE_VARIABLE = "FERRY_CONFIG";
    /** The environment variables read, and the {@code ferry.conf} key each one sets. */
    static final Map<String, String> ENVIRONMENT_KEYS = environmentKeys();

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    private final Map<String, String> environment;
    private final Path defaultFile;

    /**
     * @param environment the process environment ({@link System#getenv()}); a map in tests
     * @param defaultFile read when neither {@code --config} nor {@code FERRY_CONFIG} names a file, if it exists
     */
    public ConfigLoader(Map<String, String> environment, Path defaultFile) {
        this.environment = Map.copyOf(environment);
        this.defaultFile = defaultFile;
    }

    /**
     * @param configOption the file {@code --config} named, or null
     * @param options      the settings given as command-line options
     * @throws StartupException for a missing named file, a malformed line, an unknown key or an invalid value
     */
    public ServerConfig load(Path configOption, List<Setting> options) {
        var settings = new ArrayList<Setting>();
        configFile(configOption).ifPresent(file -> {
            log.info("reading configuration from {}", file.toAbsolutePath());
            settings.addAll(ConfigFile.read(file));
        });
        ENVIRONMENT_KEYS.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                settings.add(new Setting(key, value, "environment variable " + variable));
            }
        });
        settings.addAll(options);
        return ServerConfig.from(settings);
    }

    private Optional<Path> configFile(Path configOption) {
        if (configOption != null) {
            return Optional.of(configOption);
        }
        String named = environment.get(CONFIG_FILE_VARIABLE);
        if (named != null && !named.isEmpty()) {
            return Optional.of(Path.of(named));
        }
        return Files.isRegularFile(defaultFile) ? Optional.of(defaultFile) : Optional.empty();
    }

    private static Map<String, String> environmentKeys() {
        var keys = new LinkedHashMap<String, String>();
        keys.put("FERRY_AMQP_PORT", "listeners.tcp.default");
        keys.put("FERRY_HTTP_PORT", "management.tcp.port");
        keys.put("FERRY_DATA_DIR", "data_dir");
        keys.put("FERRY_DEFAULT_USER", "default_user");
        keys.put("FERRY_DEFAULT_PASS", "default_pass");
        keys.put("FERRY_LOG_LEVEL", "log.level");
        return Collections.unmodifiableMap(keys);
    }
}
