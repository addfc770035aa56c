package io.ferrymq.server;

import java.util.Locale;

/** The {@code log.level} values, named as in {@code rabbitmq.conf}, with the logback level each stands for. */
public enum LogLevel {
    DEBUG("DEBUG"),
    INFO("INFO"),
    WARNING("WARN"),
    ERROR("ERROR"),
    CRITICAL("ERROR"),
    NONE("OFF");

    private final String logbackLevel;

    LogLevel(String logbackLevel) {
        this.logbackLevel = logbackLevel;
    }

    public String logbackLevel() {
        return logbackLevel;
    }

    /** The name as written in {@code ferry.conf}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
