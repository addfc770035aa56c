package io.ferrymq.store.log;

import java.io.IOException;

/** The writer thread's handle on the log, valid only on that thread (inside a {@link LogTask} or a hook). */
public interface LogWriter {

    /** Writes one record after everything written before it and returns its address. */
    long append(FramedRecord record) throws IOException;

    /** The address the next record will get. */
    long position();

    /** The base position of the segment holding {@code address}. */
    long segmentBase(long address);

    /** The base position of the segment being appended to. */
    long activeSegment();

    /** Hands the buffered records to the file, so that other threads can read them (not yet durable). */
    void flush() throws IOException;

    /** Asks for a force at the end of the current batch even if no {@code SYNC} request is waiting. */
    void requestSync();
}
