package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.HeaderFrame;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.BasicReturn;
import io.ferrymq.amqp.codec.method.ConfirmSelect;
import io.ferrymq.amqp.codec.method.ConfirmSelectOk;
import io.ferrymq.amqp.codec.method.TxCommit;
import io.ferrymq.amqp.codec.method.TxCommitOk;
import io.ferrymq.amqp.codec.method.TxRollback;
import io.ferrymq.amqp.codec.method.TxRollbackOk;
import io.ferrymq.amqp.codec.method.TxSelect;
import io.ferrymq.amqp.codec.method.TxSelectOk;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Owned by the connection's event loop; one per channel. The publishing side of a channel:
 * content assembly, {@code Session.publish}, {@code basic.return} for unroutable mandatory
 * messages, publisher confirms, and the choice between confirm and tx mode (exclusive, 406 either
 * way round, as in RabbitMQ).
 *
 * <p>Publishes are pipelined: the channel goes on with the next frame without waiting for the
 * publish's stage. When the stage completes (at once for transient messages, later for those
 * that must reach the disk), its outcome becomes a return (written first) and a confirm
 * (coalesced by {@link ConfirmTracker} and written at the end of the event-loop pass).
 */
final class ChannelPublisher {
    private static final int NO_ROUTE = 312;
    private static final String NO_ROUTE_TEXT = "NO_ROUTE";
    /** Only its ids are used: the class-id/method-id of the channel.close a failed publish causes. */
    private static final BasicPublish PUBLISH_CAUSE = new BasicPublish(0, "", "", false, false);

    private final AmqpChannel channel;
    private final ContentAssembler content = new ContentAssembler();
    /** Non-null once confirm.select was accepted. */
    private ConfirmTracker confirms;
    private boolean transactional;

    ChannelPublisher(AmqpChannel channel) {
        this.channel = channel;
    }

    boolean contentInProgress() {
        return content.inProgress();
    }

    AmqpError contentInterrupted() {
        return content.interrupted();
    }

    void publish(BasicPublish publish) {
        if (publish.immediate()) {
            throw AmqpError.of(ReplyCode.NOT_IMPLEMENTED, "immediate=true", publish);
        }
        content.start(publish);
    }

    void header(HeaderFrame header) {
        if (!content.inProgress()) {
            throw new AmqpError(ReplyCode.UNEXPECTED_FRAME,
                    "expected method frame, got a content header frame instead", 0, 0);
        }
        if (content.header(header)) {
            complete();
        }
    }

    void body(BodyFrame body) {
        try {
            if (!content.inProgress()) {
                throw new AmqpError(ReplyCode.UNEXPECTED_FRAME,
                        "expected method frame, got a content body frame instead", 0, 0);
            }
            if (content.body(body)) {
                complete();
            }
        } finally {
            body.payload().release();
        }
    }

    private void complete() {
        BasicPublish publish = content.publish();
        Message message = new Message(publish.exchange(), publish.routingKey(), content.properties(),
                content.takeBody());
        long seq = confirms == null ? 0 : confirms.next();
        channel.flow().published();
        CompletionStage<PublishOutcome> stage;
        try {
            stage = channel.session().publish(new PublishRequest(message, publish.mandatory()));
        } catch (BrokerException e) {
            channel.fail(AmqpError.of(e, publish));
            return;
        }
        CompletableFuture<PublishOutcome> future = stage.toCompletableFuture();
        if (future.isDone()) {
            // the common case for transient messages: no callback object, no hop
            Throwable error = null;
            PublishOutcome outcome = null;
            try {
                outcome = future.join();
            } catch (CompletionException | CancellationException e) {
                error = e.getCause() == null ? e : e.getCause();
            }
            published(seq, message, publish.mandatory(), outcome, error);
        } else {
            future.whenComplete(new Completion(this, seq, message, publish.mandatory()));
        }
    }

    /** On the event loop, in completion order; the channel may have closed in the meantime. */
    private void published(long seq, Message message, boolean mandatory, PublishOutcome outcome, Throwable error) {
        assert channel.connection().inEventLoop();
        if (!channel.isOpen()) {
            return;
        }
        if (error != null) {
            channel.failed(error, PUBLISH_CAUSE);
            return;
        }
        if (outcome == PublishOutcome.UNROUTED && mandatory) {
            // before the confirm, as the confirm tells the client the broker is done with it
            channel.out().content(channel.number, new BasicReturn(NO_ROUTE, NO_ROUTE_TEXT, message.exchange(),
                    message.routingKey()), message.properties(), message.body());
        }
        if (seq != 0 && confirms != null) {
            if (!confirms.dirty()) {
                channel.connection().confirmsToEmit(this);
            }
            confirms.complete(seq, outcome != PublishOutcome.REJECTED);
        }
    }

    /** Writes the confirms gathered during this event-loop pass. */
    void emitConfirms() {
        if (confirms != null && channel.isOpen()) {
            confirms.emit(channel.number, channel.out());
        }
    }

    void confirmSelect(ConfirmSelect select) {
        if (transactional) {
            throw AmqpError.of(ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode", select);
        }
        if (confirms == null) {
            confirms = new ConfirmTracker();
        }
        if (!select.nowait()) {
            channel.reply(new ConfirmSelectOk());
        }
    }

    void txSelect(TxSelect select) {
        if (confirms != null) {
            throw AmqpError.of(ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode", select);
        }
        channel.await(channel.session().txSelect(), select, done -> {
            transactional = true;
            channel.reply(new TxSelectOk());
        });
    }

    void txCommit(TxCommit commit) {
        channel.await(channel.session().txCommit(), commit, done -> channel.reply(new TxCommitOk()));
    }

    void txRollback(TxRollback rollback) {
        channel.await(channel.session().txRollback(), rollback, done -> channel.reply(new TxRollbackOk()));
    }

    /** The channel closed: a half-received message and pending confirms are dropped. */
    void release() {
        content.reset();
        confirms = null;
    }

    /**
     * A publish whose stage completes later. On another thread it hops back to the event loop
     * through the connection's inbox (so a burst of completions is one pass and one flush); on
     * the event loop itself (a transaction's publishes complete inside tx.commit) it runs at once,
     * so that returns precede the commit-ok, as in RabbitMQ.
     */
    private static final class Completion implements BiConsumer<PublishOutcome, Throwable>, Runnable {
        private final ChannelPublisher publisher;
        private final long seq;
        private final Message message;
        private final boolean mandatory;
        private PublishOutcome outcome;
        private Throwable error;

        Completion(ChannelPublisher publisher, long seq, Message message, boolean mandatory) {
            this.publisher = publisher;
            this.seq = seq;
            this.message = message;
            this.mandatory = mandatory;
        }

        @Override
        public void accept(PublishOutcome outcome, Throwable error) {
            this.outcome = outcome;
            this.error = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            AmqpConnection connection = publisher.channel.connection();
            if (connection.socket().eventLoop().inEventLoop()) {
                run();
                // we may be outside this connection's own pass (another connection's task on this loop)
                connection.flushSoon();
            } else {
                connection.inbox().submit(this);
            }
        }

        @Override
        public void run() {
            publisher.published(seq, message, mandatory, outcome, error);
        }
    }
}
