package io.ferrymq.store.journal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** A replay handler that keeps what it is given, as an owner's index would, and refuses duplicates. */
final class Recorder implements ReplayHandler {

    record Key(long stream, long entry) {
    }

    record Stored(long address, ByteBuffer body) {
    }

    final Map<Key, Stored> entries = new LinkedHashMap<>();
    final Map<Long, ByteBuffer> metadata = new LinkedHashMap<>();

    @Override
    public void metadata(long key, ByteBuffer value) {
        if (!entries.isEmpty()) {
            throw new AssertionError("metadata key " + key + " replayed after entries");
        }
        if (metadata.put(key, copy(value)) != null) {
            throw new AssertionError("metadata key " + key + " replayed twice");
        }
    }

    @Override
    public void entry(StoredEntry entry) {
        Stored previous = entries.put(new Key(entry.stream(), entry.entry()),
                new Stored(entry.address(), copy(entry.body())));
        if (previous != null) {
            throw new AssertionError("entry " + entry.entry() + " of stream " + entry.stream() + " replayed twice");
        }
    }

    static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy.asReadOnlyBuffer();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
