package io.ferrymq.server;

/**
 * One {@code key = value} from any configuration source.
 *
 * @param key    a {@code ferry.conf} key such as {@code listeners.tcp.default}
 * @param origin where it came from, for error messages: {@code "/etc/ferry.conf line 3"}, {@code "option
 *               --amqp-port"}, {@code "environment variable FERRY_DATA_DIR"}
 */
public record Setting(String key, String value, String origin) {
}
