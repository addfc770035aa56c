package io.ferrymq.core.persist;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** {@link Persistence#NONE}: the broker with everything in memory, as before the store. */
final class NoPersistence implements Persistence {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Long> NO_ADDRESS = CompletableFuture.completedFuture(-1L);

    private final AtomicLong keys = new AtomicLong();

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public long newKey() {
        return keys.incrementAndGet();
    }

    @Override
    public CompletableFuture<Void> put(long key, byte[] record) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> remove(long key) {
        return DONE;
    }

    @Override
    public CompletableFuture<Long> add(long stream, long entry, byte[] payload) {
        return NO_ADDRESS;
    }

    @Override
    public void delete(long stream, long entry, CompletableFuture<Long> address) {
    }

    @Override
    public CompletableFuture<long[]> writeAtomically(List<StoredChange> changes) {
        long[] none = new long[changes.size()];
        Arrays.fill(none, -1);
        return CompletableFuture.completedFuture(none);
    }

    @Override
    public long deletesRequested() {
        return 0;
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return DONE;
    }

    @Override
    public ByteBuffer read(long address) {
        throw new IllegalStateException("nothing is stored without a store (address " + address + ")");
    }

    @Override
    public void recover(RecoveryHandler handler) {
    }

    @Override
    public void close() {
    }
}
