package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.ConnectionOpen;
import io.ferrymq.amqp.codec.method.ConnectionStart;
import io.ferrymq.amqp.codec.method.ConnectionStartOk;
import io.ferrymq.amqp.codec.method.ConnectionTune;
import io.ferrymq.amqp.codec.method.ConnectionTuneOk;
import io.ferrymq.common.message.LongString;
import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.ConnectionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Owned by the connection's event loop. The decisions of the connection handshake, from
 * {@code connection.start} to {@code connection.open}: the offer, the login, the tuning limits and
 * admission to a virtual host. {@link AmqpConnection} sends the frames and keeps the state.
 *
 * <p>Tuning follows RabbitMQ: the client may lower frame-max (not below 4096) and channel-max, and
 * its heartbeat is taken as given; a value above the offer is 530 NOT_ALLOWED. Unlike RabbitMQ,
 * 0 for frame-max or channel-max is read as "no limit of mine", which means the server's offer.
 */
final class Handshake {
    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
    static final String PROTOCOL = "AMQP 0-9-1";
    private static final LongString MECHANISMS = LongString.of(SaslResponse.MECHANISMS);
    private static final LongString LOCALES = LongString.of("en_US");

    /** What tune-ok settled on. */
    record Tuning(int channelMax, int frameMax, int heartbeatSeconds) {
    }

    private final Broker broker;
    private final AmqpServerConfig config;
    private final Map<String, Object> serverProperties;
    private Map<String, Object> clientProperties = Map.of();
    private String username;

    Handshake(Broker broker, AmqpServerConfig config, Map<String, Object> serverProperties) {
        this.broker = broker;
        this.config = config;
        this.serverProperties = serverProperties;
    }

    ConnectionStart start() {
        return new ConnectionStart(0, 9, serverProperties, MECHANISMS, LOCALES);
    }

    /**
     * Checks the client's credentials.
     *
     * @return the tune to send, or null when the login was refused (logged here; the caller tells
     *         the client as its capabilities allow)
     * @throws AmqpError 503 COMMAND_INVALID for a mechanism we did not offer (RabbitMQ's code)
     */
    ConnectionTune login(ConnectionStartOk startOk, String connectionName, boolean fromLoopback) {
        clientProperties = startOk.clientProperties() == null ? Map.of() : startOk.clientProperties();
        String mechanism = startOk.mechanism();
        if (!SaslResponse.supports(mechanism)) {
            throw AmqpError.of(ReplyCode.COMMAND_INVALID, "unknown authentication mechanism '" + mechanism
                    + "'; this server offers " + SaslResponse.MECHANISMS, startOk);
        }
        byte[] response = startOk.response() == null ? new byte[0] : startOk.response().unsafeBytes();
        SaslResponse credentials = SaslResponse.parse(mechanism, response);
        if (credentials == null) {
            LOG.warn("{}: login refused: malformed {} response", connectionName, mechanism);
            return null;
        }
        try {
            broker.authenticate(credentials.username(), credentials.password(), fromLoopback);
        } catch (BrokerException e) {
            LOG.warn("{}: {} login of user '{}' refused: {}", connectionName, mechanism, credentials.username(),
                    e.getMessage());
            return null;
        }
        username = credentials.username();
        return new ConnectionTune(config.effectiveChannelMax(), config.frameMax(), config.heartbeatSeconds());
    }

    Tuning tune(ConnectionTuneOk tuneOk) {
        long frameMax = Integer.toUnsignedLong(tuneOk.frameMax());
        if (frameMax != 0 && frameMax < AmqpServerConfig.MIN_FRAME_MAX) {
            throw AmqpError.of(ReplyCode.NOT_ALLOWED, "negotiated frame_max = " + frameMax
                    + " is lower than the minimum allowed value (" + AmqpServerConfig.MIN_FRAME_MAX + ")", tuneOk);
        }
        if (frameMax > config.frameMax()) {
            throw AmqpError.of(ReplyCode.NOT_ALLOWED, "negotiated frame_max = " + frameMax
                    + " is higher than the maximum allowed value (" + config.frameMax() + ")", tuneOk);
        }
        int channelMax = tuneOk.channelMax();
        if (channelMax > config.effectiveChannelMax()) {
            throw AmqpError.of(ReplyCode.NOT_ALLOWED, "negotiated channel_max = " + channelMax
                    + " is higher than the maximum allowed value (" + config.effectiveChannelMax() + ")", tuneOk);
        }
        return new Tuning(channelMax == 0 ? config.effectiveChannelMax() : channelMax,
                frameMax == 0 ? config.frameMax() : (int) frameMax, tuneOk.heartbeat());
    }

    /**
     * Admits the client to the virtual host it names.
     *
     * @throws AmqpError usually 530 NOT_ALLOWED, with the core's text (unknown vhost, no access)
     */
    BrokerConnection open(ConnectionOpen open, String connectionName, String remoteAddress) {
        ConnectionInfo info = new ConnectionInfo(connectionName, username, remoteAddress, PROTOCOL, clientProperties);
        try {
            return broker.connect(info, open.virtualHost());
        } catch (BrokerException e) {
            throw AmqpError.of(e, open);
        }
    }

    Map<String, Object> clientProperties() {
        return clientProperties;
    }

    String username() {
        return username;
    }
}
