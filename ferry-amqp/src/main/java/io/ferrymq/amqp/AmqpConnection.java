package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.Frame;
import io.ferrymq.amqp.codec.FrameDecoder;
import io.ferrymq.amqp.codec.FrameDecodingException;
import io.ferrymq.amqp.codec.HeartbeatFrame;
import io.ferrymq.amqp.codec.MethodFrame;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.ConnectionClose;
import io.ferrymq.amqp.codec.method.ConnectionCloseOk;
import io.ferrymq.amqp.codec.method.ConnectionOpen;
import io.ferrymq.amqp.codec.method.ConnectionOpenOk;
import io.ferrymq.amqp.codec.method.ConnectionStartOk;
import io.ferrymq.amqp.codec.method.ConnectionTune;
import io.ferrymq.amqp.codec.method.ConnectionTuneOk;
import io.ferrymq.amqp.codec.method.ConnectionUpdateSecret;
import io.ferrymq.amqp.codec.method.ConnectionUpdateSecretOk;
import io.ferrymq.common.concurrent.EndOfPass;
import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.BrokerException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Owned by the connection's event loop: one per accepted socket, the last handler of its
 * pipeline. The AMQP connection state machine: handshake, channel 0, the table of channels, hard
 * errors and both close handshakes, heartbeats.
 *
 * <p>Choices where RabbitMQ's behaviour is not what a client could infer from the spec:
 * <ul>
 *   <li>a frame on a channel other than 0 before {@code open-ok} is 505 UNEXPECTED_FRAME; a
 *       connection method out of order on channel 0 is 504 CHANNEL_ERROR "unexpected method in
 *       connection state ..." (both as RabbitMQ's reader); unlike RabbitMQ, which drops the socket
 *       silently for most errors before tune-ok, we always send {@code connection.close} first;</li>
 *   <li>a failed login sends {@code connection.close} 403 only to clients announcing
 *       {@code authentication_failure_close}, with RabbitMQ's text pointing at the broker log,
 *       where the reason is; others just see the socket close;</li>
 *   <li>after sending {@code connection.close} we wait {@link #CLOSE_OK_TIMEOUT_MILLIS} at most for
 *       close-ok, ignoring everything else; except after a frame the decoder could not decode
 *       ({@link FrameDecodingException}): the decoder then discards all further input, so no
 *       close-ok could be read, and the socket closes as soon as {@code connection.close} is out.</li>
 * </ul>
 *
 * <p>Inbound flow control and resource alarms are {@link FlowControl}'s.
 */
final class AmqpConnection extends ChannelInboundHandlerAdapter
        implements ConnectionInbox.Owner, Heartbeater.Peer {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

    private enum State { AWAITING_HEADER, STARTING, TUNING, OPENING, OPEN, CLOSING, CLOSED }

    static final long CLOSE_OK_TIMEOUT_MILLIS = 3_000;
    /** Octets a client's frame may exceed the negotiated frame-max by (RabbitMQ's FRAME_SIZE_FUDGE). */
    private static final int FRAME_SIZE_FUDGE = 8;
    private static final String AUTHENTICATION_FAILURE_CLOSE = "authentication_failure_close";
    private static final String CONNECTION_BLOCKED = "connection.blocked";
    private static final Runnable NOTHING = () -> { };

    private final Broker broker;
    private final AmqpServerConfig config;
    private final Handshake handshake;
    private final ChannelTable channels = new ChannelTable(this);
    private final List<ChannelPublisher> confirmsToEmit = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private FrameWriter out;
    private ConnectionInbox inbox;
    private String name = "AMQP connection";
    private State state = State.AWAITING_HEADER;
    private BrokerConnection brokerConnection;
    private Heartbeater heartbeater;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> closeTimer;
    /** Created at open-ok: channels, publishes and alarms exist only from then on. */
    private FlowControl flow;

    AmqpConnection(Broker broker, AmqpServerConfig config, Map<String, Object> serverProperties) {
        this.broker = broker;
        this.config = config;
        this.handshake = new Handshake(broker, config, serverProperties);
    }

    // ---------------------------------------------------------------- Netty events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.out = new FrameWriter(ctx, config.frameMax());
        this.inbox = new ConnectionInbox(ctx.channel().eventLoop(), this);
        // the store's writes this loop's connections ask for are done by the loop at the end of its pass (G1 still:
        // a confirm goes out after the force), instead of waking the store's writer thread per durable write
        if (ctx.channel().eventLoop() instanceof SingleThreadEventLoop loop && loop.inEventLoop()) {
            EndOfPass.install(loop::executeAfterEventLoopIteration);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        name = describe(ctx.channel().remoteAddress()) + " -> " + describe(ctx.channel().localAddress());
        handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut, config.handshakeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (heartbeater != null) {
            heartbeater.read();
        }
        try {
            onFrame(frame);
        } catch (AmqpError e) {
            closeWithError(e);
        } catch (BrokerException e) {
            closeWithError(AmqpError.of(e, null));
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endOfPass();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            channels.resumeAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.CLOSED && state != State.CLOSING && state.compareTo(State.STARTING) >= 0) {
            LOG.info("{}: client closed the socket without connection.close", name);
        }
        state = State.CLOSED;
        releaseAll();
        out.discard();
        cancel(closeTimer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable error = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (state == State.CLOSING || state == State.CLOSED) {
            LOG.debug("{}: ignored while closing", name, error);
            return;
        }
        if (error instanceof FrameDecodingException e) {
            closeAfterDecodingError(
                    new AmqpError(ReplyCode.ofCode(e.replyCode()), e.getMessage(), e.classId(), e.methodId()));
        } else if (error instanceof IOException) {
            LOG.info("{}: socket failed, closing: {}", name, error.toString());
            closeNow();
        } else {
            internalError(error);
        }
    }

    // ---------------------------------------------------------------- frames

    private void onFrame(Frame frame) {
        switch (state) {
            case OPEN -> {
                if (frame.channel() == 0) {
                    onChannelZero(frame);
                } else {
                    channels.onFrame(frame);
                }
            }
            case STARTING, TUNING, OPENING -> onHandshakeFrame(frame);
            case CLOSING -> onFrameWhileClosing(frame);
            default -> ChannelTable.release(frame);
        }
    }

    private void onHandshakeFrame(Frame frame) {
        if (frame instanceof HeartbeatFrame) {
            return;
        }
        if (frame.channel() != 0 || !(frame instanceof MethodFrame methodFrame)) {
            ChannelTable.release(frame);
            throw new AmqpError(ReplyCode.UNEXPECTED_FRAME, "unexpected " + kind(frame) + " frame on channel "
                    + frame.channel() + " before the connection is open", 0, 0);
        }
        AmqpMethod method = methodFrame.method();
        if (method instanceof ConnectionClose) {
            closedByClient();
        } else if (state == State.STARTING && method instanceof ConnectionStartOk startOk) {
            startOk(startOk);
        } else if (state == State.TUNING && method instanceof ConnectionTuneOk tuneOk) {
            tuned(handshake.tune(tuneOk));
        } else if (state == State.OPENING && method instanceof ConnectionOpen open) {
            opened(open);
        } else {
            throw unexpectedMethod(method);
        }
    }

    private void onChannelZero(Frame frame) {
        if (frame instanceof HeartbeatFrame) {
            return;
        }
        if (!(frame instanceof MethodFrame methodFrame)) {
            ChannelTable.release(frame);
            throw new AmqpError(ReplyCode.UNEXPECTED_FRAME, "unexpected " + kind(frame)
                    + " frame on channel 0, which carries only connection methods and heartbeats", 0, 0);
        }
        AmqpMethod method = methodFrame.method();
        if (method instanceof ConnectionClose) {
            closedByClient();
        } else if (method instanceof ConnectionUpdateSecret) {
            // the new secret is accepted as is: FerryMQ does not re-authenticate open connections
            out.method(0, new ConnectionUpdateSecretOk());
        } else {
            throw unexpectedMethod(method);
        }
    }

    private void onFrameWhileClosing(Frame frame) {
        if (frame instanceof MethodFrame methodFrame && frame.channel() == 0) {
            if (methodFrame.method() instanceof ConnectionCloseOk) {
                closeNow();
            } else if (methodFrame.method() instanceof ConnectionClose) {
                // both sides closed at once: answer, and we are done
                out.method(0, new ConnectionCloseOk());
                closeNow();
            }
            return;
        }
        ChannelTable.release(frame);
    }

    // ---------------------------------------------------------------- handshake

    /** The 8-octet header was right: offer the connection. */
    void protocolHeaderAccepted() {
        if (state != State.AWAITING_HEADER) {
            return;
        }
        state = State.STARTING;
        out.method(0, handshake.start());
        out.flush();
    }

    /** Unsupported protocol header: ours, then close (RabbitMQ's answer). */
    void refuseProtocol() {
        if (state != State.AWAITING_HEADER) {
            return;
        }
        LOG.info("{}: refused: not an AMQP 0-9-1 protocol header", name);
        state = State.CLOSED;
        out.protocolHeader();
        out.flushThenClose();
    }

    private void startOk(ConnectionStartOk startOk) {
        ConnectionTune tune = handshake.login(startOk, name, fromLoopback());
        if (tune == null) {
            refuseLogin(startOk);
            return;
        }
        state = State.TUNING;
        out.method(0, tune);
    }

    private void refuseLogin(ConnectionStartOk startOk) {
        if (clientHas(AUTHENTICATION_FAILURE_CLOSE)) {
            closeWithError(AmqpError.of(ReplyCode.ACCESS_REFUSED, "Login was refused using authentication mechanism "
                    + startOk.mechanism() + ". For details see the broker logfile.", startOk));
        } else {
            // older clients take an unexplained connection.close badly: drop the socket, as RabbitMQ does
            state = State.CLOSED;
            out.flushThenClose();
        }
    }

    private void tuned(Handshake.Tuning tuning) {
        channels.channelMax(tuning.channelMax());
        out.frameMax(tuning.frameMax());
        FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
        if (decoder != null) {
            // RabbitMQ's leniency: clients often forget the 8 framing octets, so they may go over by that much
            decoder.setMaxFrameSize(tuning.frameMax() + FRAME_SIZE_FUDGE);
        }
        if (tuning.heartbeatSeconds() > 0) {
            heartbeater = new Heartbeater(out, this, tuning.heartbeatSeconds());
            heartbeater.start(ctx.channel().eventLoop());
        }
        state = State.OPENING;
    }

    private void opened(ConnectionOpen open) {
        brokerConnection = handshake.open(open, name, describe(ctx.channel().remoteAddress()));
        brokerConnection.onForcedClose(this::forceClose);
        state = State.OPEN;
        cancel(handshakeTimer);
        out.method(0, new ConnectionOpenOk(""));
        flow = new FlowControl(ctx.channel(), out, inbox, heartbeater, clientHas(CONNECTION_BLOCKED));
        broker.addAlarmListener(flow);
        brokerConnection.onPublisherFlow(flow);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: user '{}' opened vhost '{}'", name, handshake.username(), open.virtualHost());
        }
    }

    private void handshakeTimedOut() {
        if (state.compareTo(State.OPEN) < 0) {
            LOG.warn("{}: closing: the handshake did not complete within {} ms", name,
                    config.handshakeTimeoutMillis());
            closeNow();
        }
    }

    // ---------------------------------------------------------------- closing

    private void closedByClient() {
        state = State.CLOSED;
        releaseAll();
        out.method(0, new ConnectionCloseOk());
        out.flushThenClose();
    }

    /**
     * A hard error (or shutdown): release everything, send {@code connection.close} and wait for
     * close-ok, at most {@link #CLOSE_OK_TIMEOUT_MILLIS}.
     */
    void closeWithError(AmqpError error) {
        if (!sendClose(error, State.CLOSING)) {
            return;
        }
        out.flush();
        closeTimer = ctx.executor().schedule(this::closeNow, CLOSE_OK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A frame the decoder could not decode (501, 502, or 540 for an unknown method): release
     * everything, send {@code connection.close} and close the socket once it is flushed. The
     * decoder discards all input after the bad frame, so waiting for close-ok would be in vain.
     */
    private void closeAfterDecodingError(AmqpError error) {
        if (sendClose(error, State.CLOSED)) {
            out.flushThenClose();
        }
    }

    /**
     * The start of both hard-error closes: releases everything and writes (without flushing)
     * {@code connection.close}. Returns false when there is nothing more to do: the connection is
     * already closing, or it is still before the protocol header and has just been dropped.
     */
    private boolean sendClose(AmqpError error, State next) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return false;
        }
        if (state == State.AWAITING_HEADER) {
            closeNow();
            return false;
        }
        if (error.code == ReplyCode.CONNECTION_FORCED) {
            LOG.info("{}: closing: {}", name, error.replyText());
        } else {
            LOG.warn("{}: closing with {}: {}", name, error.code.code, error.replyText());
        }
        // first, so that whatever releasing sets off cannot close a second time
        state = next;
        releaseAll();
        out.method(0, new ConnectionClose(error.code.code, error.replyText(), error.classId, error.methodId));
        return true;
    }

    /** A bug: logged with its stack trace; only this connection goes (541). */
    private void internalError(Throwable error) {
        if (state == State.CLOSING || state == State.CLOSED) {
            LOG.error("{}: internal error while closing", name, error);
            return;
        }
        LOG.error("{}: internal error, closing the connection", name, error);
        closeWithError(new AmqpError(ReplyCode.INTERNAL_ERROR,
                "unexpected failure in the broker, see the broker log (" + error.getClass().getSimpleName() + ")",
                0, 0));
    }

    @Override
    public void heartbeatTimedOut(int heartbeatSeconds) {
        if (state == State.CLOSED) {
            return;
        }
        LOG.warn("{}: missed heartbeats from client, timeout: {}s; closing the socket", name, heartbeatSeconds);
        closeNow();
    }

    private void closeNow() {
        state = State.CLOSED;
        cancel(closeTimer);
        out.flushThenClose();
    }

    /**
     * Broker shutdown or an operator's close: {@code connection.close} 320, then the usual bounded wait for close-ok.
     * Thread-safe. The future completes when the socket is closed.
     */
    ChannelFuture forceClose(String reason) {
        ctx.executor().execute(() -> closeWithError(new AmqpError(ReplyCode.CONNECTION_FORCED, reason, 0, 0)));
        return ctx.channel().closeFuture();
    }

    /** Everything the connection holds in the core and on the event loop; idempotent. */
    private void releaseAll() {
        cancel(handshakeTimer);
        if (heartbeater != null) {
            heartbeater.stop();
            heartbeater = null;
        }
        channels.disposeAll();
        confirmsToEmit.clear();
        if (flow != null) {
            broker.removeAlarmListener(flow);
            flow.close();
        }
        if (brokerConnection != null) {
            BrokerConnection closing = brokerConnection;
            brokerConnection = null;
            try {
                closing.close();
            } catch (RuntimeException e) {
                LOG.error("{}: closing the broker connection failed", name, e);
            }
        }
    }

    // ---------------------------------------------------------------- services for channels

    @Override
    public void runInboxTask(Runnable task) {
        assert inEventLoop();
        try {
            task.run();
        } catch (AmqpError e) {
            closeWithError(e);
        } catch (BrokerException e) {
            closeWithError(AmqpError.of(e, null));
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** Ends a pass of the event loop for this connection: pending confirms, then one flush. */
    @Override
    public void endOfPass() {
        if (!confirmsToEmit.isEmpty()) {
            for (ChannelPublisher publisher : confirmsToEmit) {
                publisher.emitConfirms();
            }
            confirmsToEmit.clear();
        }
        out.flush();
    }

    /** Makes sure a pass ends soon, writing what was produced outside one. */
    void flushSoon() {
        inbox.submit(NOTHING);
    }

    /** The publisher has confirms to write at the end of this pass. */
    void confirmsToEmit(ChannelPublisher publisher) {
        confirmsToEmit.add(publisher);
    }

    FlowControl flow() {
        return flow;
    }

    void channelClosed(AmqpChannel channel) {
        channels.remove(channel);
    }

    boolean clientHas(String capability) {
        return ServerProperties.clientHas(handshake.clientProperties(), capability);
    }

    BrokerConnection brokerConnection() {
        return brokerConnection;
    }

    FrameWriter out() {
        return out;
    }

    ConnectionInbox inbox() {
        return inbox;
    }

    Channel socket() {
        return ctx.channel();
    }

    /** For assertions: whether the caller runs on this connection's event loop. */
    boolean inEventLoop() {
        return ctx.executor().inEventLoop();
    }

    @Override
    public String toString() {
        return name;
    }

    // ---------------------------------------------------------------- helpers

    private AmqpError unexpectedMethod(AmqpMethod method) {
        return AmqpError.of(ReplyCode.CHANNEL_ERROR, "unexpected method '" + method.name()
                + "' in connection state " + state.name().toLowerCase(Locale.ROOT), method);
    }

    private boolean fromLoopback() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address
                && address.getAddress() != null && address.getAddress().isLoopbackAddress();
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static String kind(Frame frame) {
        if (frame instanceof MethodFrame) {
            return "method";
        }
        if (frame instanceof BodyFrame) {
            return "content body";
        }
        return frame instanceof HeartbeatFrame ? "heartbeat" : "content header";
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
