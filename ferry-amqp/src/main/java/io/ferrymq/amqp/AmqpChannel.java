package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.Frame;
import io.ferrymq.amqp.codec.HeaderFrame;
import io.ferrymq.amqp.codec.MethodFrame;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicCancel;
import io.ferrymq.amqp.codec.method.BasicCancelOk;
import io.ferrymq.amqp.codec.method.BasicConsume;
import io.ferrymq.amqp.codec.method.BasicGet;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.ChannelClose;
import io.ferrymq.amqp.codec.method.ChannelCloseOk;
import io.ferrymq.amqp.codec.method.ChannelFlow;
import io.ferrymq.amqp.codec.method.ChannelFlowOk;
import io.ferrymq.amqp.codec.method.ChannelOpen;
import io.ferrymq.amqp.codec.method.ChannelOpenOk;
import io.ferrymq.amqp.codec.method.ConfirmSelect;
import io.ferrymq.amqp.codec.method.TxCommit;
import io.ferrymq.amqp.codec.method.TxRollback;
import io.ferrymq.amqp.codec.method.TxSelect;
import io.ferrymq.common.message.LongString;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Owned by the connection's event loop. One open AMQP channel over one core {@link Session}: its
 * lifecycle (open, close both ways, soft errors), the order of its replies, and the routing of its
 * frames to {@link ChannelPublisher} (publish, confirms, tx), {@link ChannelConsumers} (consume,
 * cancel, get, deliveries) and {@link ChannelMethods} (the rest).
 *
 * <p>Replies keep the order of requests even when the core answers later on another thread: a
 * channel handles one method at a time, and while a {@code Session} stage is in flight
 * ({@link #await}) its later frames wait in a backlog, handled once the stage completes on the
 * event loop. Publishes do not wait for their stage (confirms are pipelined), so the common path
 * never queues.
 *
 * <p>After the server sends {@code channel.close} (a soft error) everything but
 * {@code channel.close-ok} and {@code channel.close} is ignored until the client's close-ok.
 */
final class AmqpChannel {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpChannel.class);

    private enum State { OPEN, CLOSING, CLOSED }

    private static final LongString NO_CHANNEL_ID = LongString.of("");

    final int number;
    private final AmqpConnection connection;
    private final FrameWriter out;
    private final FlowControl flow;
    private final ArrayDeque<Frame> backlog = new ArrayDeque<>();
    private final ChannelPublisher publisher;
    private final ChannelConsumers consumers;
    private final ChannelMethods methods;
    private Session session;
    private State state = State.OPEN;
    /** A Session stage is in flight: frames wait in the backlog until it completes. */
    private boolean awaiting;

    AmqpChannel(int number, AmqpConnection connection) {
        this.number = number;
        this.connection = connection;
        this.out = connection.out();
        this.flow = connection.flow();
        this.publisher = new ChannelPublisher(this);
        this.consumers = new ChannelConsumers(this);
        this.methods = new ChannelMethods(this);
    }

    /** channel.open: opens the core session and answers open-ok (or closes the channel at once). */
    void open(ChannelOpen method) {
        try {
            session = connection.brokerConnection().openSession(number);
        } catch (BrokerException e) {
            fail(AmqpError.of(e, method));
            return;
        }
        Session opened = session;
        // an ack timeout: close this channel (on the event loop) as RabbitMQ does, 406 naming tag and timeout
        opened.onClosedByBroker(e -> connection.inbox().submit(() -> {
            if (session == opened) {
                fail(AmqpError.of(e, null));
            }
        }));
        reply(new ChannelOpenOk(NO_CHANNEL_ID));
    }

    void onFrame(Frame frame) {
        assert connection.inEventLoop();
        if (awaiting || !backlog.isEmpty()) {
            backlog.add(frame);
            flow.backlogGrew();
            return;
        }
        handle(frame);
    }

    private void drainBacklog() {
        Frame frame;
        while (!awaiting && (frame = backlog.poll()) != null) {
            flow.backlogShrank();
            handle(frame);
        }
    }

    private void handle(Frame frame) {
        if (state != State.OPEN) {
            handleWhileClosing(frame);
            return;
        }
        if (frame instanceof MethodFrame methodFrame) {
            onMethod(methodFrame.method());
        } else if (frame instanceof HeaderFrame header) {
            publisher.header(header);
        } else if (frame instanceof BodyFrame body) {
            publisher.body(body);
        }
        // heartbeats never get here: the decoder refuses them on any channel but 0
    }

    private void onMethod(AmqpMethod method) {
        if (publisher.contentInProgress()) {
            throw publisher.contentInterrupted();
        }
        try {
            dispatch(method);
        } catch (AmqpError e) {
            fail(e);
        } catch (BrokerException e) {
            fail(AmqpError.of(e, method));
        }
    }

    // the most frequent methods first: publish, then ack, come before anything rare
    private void dispatch(AmqpMethod method) {
        if (method instanceof BasicPublish publish) {
            publisher.publish(publish);
        } else if (method instanceof BasicAck ack) {
            methods.ack(ack);
        } else if (method instanceof BasicConsume consume) {
            consumers.consume(consume);
        } else if (method instanceof BasicCancel cancel) {
            consumers.cancel(cancel);
        } else if (method instanceof BasicGet get) {
            consumers.get(get);
        } else if (method instanceof ConfirmSelect select) {
            publisher.confirmSelect(select);
        } else if (method instanceof TxSelect select) {
            publisher.txSelect(select);
        } else if (method instanceof TxCommit commit) {
            publisher.txCommit(commit);
        } else if (method instanceof TxRollback rollback) {
            publisher.txRollback(rollback);
        } else if (method instanceof ChannelClose) {
            closedByClient();
        } else if (method instanceof ChannelFlow flow) {
            flow(flow);
        } else if (method instanceof ChannelOpen open) {
            throw AmqpError.of(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen", open);
        } else if (method instanceof ChannelCloseOk || method instanceof ChannelFlowOk
                || method instanceof BasicCancelOk) {
            // answers to requests this server never sends without nowait: nothing to do
            return;
        } else {
            methods.handle(method);
        }
    }

    /** RabbitMQ refuses to pause a channel's deliveries with channel.flow, and so do we (540). */
    private void flow(ChannelFlow flow) {
        if (!flow.active()) {
            throw AmqpError.of(ReplyCode.NOT_IMPLEMENTED, "active=false", flow);
        }
        reply(new ChannelFlowOk(true));
    }

    private void handleWhileClosing(Frame frame) {
        if (frame instanceof BodyFrame body) {
            body.payload().release();
        } else if (frame instanceof MethodFrame methodFrame && state == State.CLOSING) {
            if (methodFrame.method() instanceof ChannelCloseOk) {
                state = State.CLOSED;
                discardBacklog();
                connection.channelClosed(this);
            } else if (methodFrame.method() instanceof ChannelClose) {
                // both sides closed at once: answer theirs, keep waiting for the answer to ours
                reply(new ChannelCloseOk());
            }
        }
    }

    private void closedByClient() {
        state = State.CLOSED;
        release();
        reply(new ChannelCloseOk());
        // a client must wait for close-ok before using the number again: anything still queued is void
        discardBacklog();
        connection.channelClosed(this);
    }

    /**
     * A refused operation. Soft errors close this channel with {@code channel.close}; hard ones
     * are thrown on to the connection, which closes everything.
     */
    void fail(AmqpError error) {
        if (error.code.hard) {
            throw error;
        }
        if (state != State.OPEN) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("closing channel {} of {}: {}", number, connection, error.replyText());
        }
        state = State.CLOSING;
        reply(new ChannelClose(error.code.code, error.replyText(), error.classId, error.methodId));
        release();
    }

    /**
     * Runs {@code onSuccess} with the stage's value on the event loop, in order: at once when the
     * stage is already complete, else once it completes, holding this channel's later frames
     * until then. A failure fails the channel (or the connection) with {@code cause}'s ids.
     */
    <T> void await(CompletionStage<T> stage, AmqpMethod cause, Consumer<T> onSuccess) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            finish(future, cause, onSuccess);
            return;
        }
        awaiting = true;
        future.whenComplete((value, error) -> connection.inbox().submit(() -> {
            awaiting = false;
            finish(future, cause, onSuccess);
            drainBacklog();
        }));
    }

    private <T> void finish(CompletableFuture<T> future, AmqpMethod cause, Consumer<T> onSuccess) {
        T value;
        try {
            value = future.join();
        } catch (CompletionException | CancellationException e) {
            if (state == State.OPEN) {
                failed(e.getCause() == null ? e : e.getCause(), cause);
            }
            return;
        }
        if (state == State.OPEN) {
            onSuccess.accept(value);
        }
    }

    /** A stage failed: a BrokerException maps through the reply-code table; anything else is a bug. */
    void failed(Throwable error, AmqpMethod cause) {
        if (error instanceof BrokerException e) {
            fail(AmqpError.of(e, cause));
        } else if (error instanceof AmqpError e) {
            fail(e);
        } else {
            throw new IllegalStateException("the broker failed " + cause.name() + " on channel " + number, error);
        }
    }

    void reply(AmqpMethod method) {
        out.method(number, method);
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    Session session() {
        return session;
    }

    FrameWriter out() {
        return out;
    }

    AmqpConnection connection() {
        return connection;
    }

    FlowControl flow() {
        return flow;
    }

    /** The socket can take more: the core may deliver again. */
    void resume() {
        if (state == State.OPEN && session != null) {
            session.resume();
        }
    }

    /** The connection is gone: release everything, without any frame. */
    void dispose() {
        boolean open = state == State.OPEN;
        state = State.CLOSED;
        if (open) {
            release();
        }
        discardBacklog();
    }

    /** Ends the core session (which requeues unacked messages) and drops per-channel state. */
    private void release() {
        publisher.release();
        consumers.release();
        if (session != null) {
            Session closing = session;
            session = null;
            try {
                closing.close();
            } catch (RuntimeException e) {
                LOG.error("closing the session of channel {} of {} failed", number, connection, e);
            }
        }
    }

    private void discardBacklog() {
        Frame frame;
        while ((frame = backlog.poll()) != null) {
            flow.backlogShrank();
            if (frame instanceof BodyFrame body) {
                body.payload().release();
            }
        }
    }
}
