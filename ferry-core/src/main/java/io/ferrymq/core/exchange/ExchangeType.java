package io.ferrymq.core.exchange;

import java.util.Optional;
import java.util.function.Supplier;

/** The exchange types the broker knows, each with the binding table that implements its matching. */
public enum ExchangeType {
    DIRECT("direct", DirectBindings::new),
    FANOUT("fanout", FanoutBindings::new),
    TOPIC("topic", TopicBindings::new),
    HEADERS("headers", HeadersBindings::new);

    private final String wireName;
    private final Supplier<Bindings> tables;

    ExchangeType(String wireName, Supplier<Bindings> tables) {
        this.wireName = wireName;
        this.tables = tables;
    }

    /** The name clients use in exchange.declare. */
    public String wireName() {
        return wireName;
    }

    public Bindings newBindings() {
        return tables.get();
    }

    public static Optional<ExchangeType> byName(String name) {
        for (ExchangeType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
