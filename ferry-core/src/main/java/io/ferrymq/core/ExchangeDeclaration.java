package io.ferrymq.core;

import java.util.Map;

/**
 * exchange.declare. {@code passive}: only check that it exists. {@code type} is one of
 * {@code direct fanout topic headers} (more types plug in later).
 */
public record ExchangeDeclaration(String name, String type, boolean passive, boolean durable, boolean autoDelete,
                                  boolean internal, Map<String, Object> arguments) {
}
