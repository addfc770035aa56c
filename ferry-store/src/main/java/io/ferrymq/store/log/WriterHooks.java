package io.ferrymq.store.log;

import java.io.IOException;

/** What the layer above runs on the writer thread between batches. */
public interface WriterHooks {

    WriterHooks NONE = (writer, durablePosition) -> {
    };

    /**
     * Called on the writer thread right after a force made everything below {@code durablePosition} durable and its
     * requests were completed, before anything else is written: a moment the log on disk and in memory agree. After
     * batches written at the end of an event loop pass, a little later instead (see {@code GroupCommitWriter}), but
     * again right after a force and before anything else is written. May append
     * (compaction), delete sealed segments and write side files (checkpoints); an exception fails the log.
     */
    void afterSync(LogWriter writer, long durablePosition) throws IOException;
}
