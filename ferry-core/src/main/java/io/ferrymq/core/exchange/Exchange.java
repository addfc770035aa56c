package io.ferrymq.core.exchange;

import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.delay.DelayedMessages;
import io.ferrymq.core.delay.DelayedType;

import java.util.Map;

/**
 * An exchange of one virtual host. Its properties are fixed at declaration; its {@link #bindings()}
 * (where it is the source) are guarded by the virtual host's topology lock.
 *
 * @see Bindings
 */
public final class Exchange {
    private final String vhost;
    private final String name;
    private final ExchangeType type;
    private final boolean durable;
    private final boolean autoDelete;
    private final boolean internal;
    private final Map<String, Object> arguments;
    private final String alternateExchange;
    private final Bindings bindings;
    private final Deduplicator deduplicator;
    private final DelayedMessages delayed;

    /**
     * @param alternateExchange where messages go that match no binding of this exchange, or null
     * @param bindings          the table that matches messages; normally {@code type.newBindings()}
     * @param deduplicator      the window of {@code x-message-deduplication}, or null
     */
    public Exchange(String vhost, String name, ExchangeType type, boolean durable, boolean autoDelete,
                    boolean internal, Map<String, Object> arguments, String alternateExchange, Bindings bindings,
                    Deduplicator deduplicator) {
        this(vhost, name, type, durable, autoDelete, internal, arguments, alternateExchange, bindings, deduplicator,
                null);
    }

    /**
     * An exchange that may be delayed.
     *
     * @param type    for a delayed exchange, the type that routes its messages when they are due
     * @param delayed the messages a delayed exchange ({@code x-delayed-message}) holds, or null
     */
    public Exchange(String vhost, String name, ExchangeType type, boolean durable, boolean autoDelete,
                    boolean internal, Map<String, Object> arguments, String alternateExchange, Bindings bindings,
                    Deduplicator deduplicator, DelayedMessages delayed) {
        this.delayed = delayed;
        this.vhost = vhost;
        this.name = name;
        this.type = type;
        this.durable = durable;
        this.autoDelete = autoDelete;
        this.internal = internal;
        this.arguments = arguments == null ? Map.of() : arguments;
        this.alternateExchange = alternateExchange;
        this.bindings = bindings;
        this.deduplicator = deduplicator;
    }

    public String vhost() {
        return vhost;
    }

    public String name() {
        return name;
    }

    public ExchangeType type() {
        return type;
    }

    public boolean durable() {
        return durable;
    }

    public boolean autoDelete() {
        return autoDelete;
    }

    public boolean internal() {
        return internal;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    /** The name of the alternate exchange, or null. */
    public String alternateExchange() {
        return alternateExchange;
    }

    public Bindings bindings() {
        return bindings;
    }

    /** The deduplication window: a message whose key it holds is confirmed but not routed at all (G4); or null. */
    public Deduplicator deduplicator() {
        return deduplicator;
    }

    /** The messages this delayed exchange holds until due, or null when it is no delayed exchange. */
    public DelayedMessages delayed() {
        return delayed;
    }

    /** The type as declared: {@code x-delayed-message} for a delayed exchange, else {@link #type()}'s name. */
    public String typeName() {
        return delayed != null ? DelayedType.NAME : type.wireName();
    }

    /** The default exchange "" routes to the queue named by the routing key; it takes no bindings. */
    public boolean isDefault() {
        return name.isEmpty();
    }

    /** "exchange 'x' in vhost '/'", for error texts ("the default exchange" for ""). */
    public String describe() {
        return (isDefault() ? "the default exchange" : "exchange '" + name + "'") + " in vhost '" + vhost + "'";
    }

    @Override
    public String toString() {
        return describe();
    }
}
