package io.ferrymq.store.log;

import java.io.IOException;

/** Work run on the log's writer thread, in order with appends. */
@FunctionalInterface
public interface LogTask<T> {

    T run(LogWriter writer) throws IOException;
}
