package io.ferrymq.core;

/**
 * Queue flow control, as the protocol adapter sees it: told when a queue this connection published to asks its
 * publishers to pause (its consumers fell behind and its messages in memory passed the queue's mark) and when that
 * queue no longer does. Every {@link #pause} is followed by exactly one {@link #resume}; the connection reads again
 * once every pause it was told of has been resumed. {@link #pause} comes on the connection's own thread (from its
 * publish), {@link #resume} from any thread: implementations hand over to their own.
 */
public interface PublisherFlow {

    void pause();

    void resume();
}
