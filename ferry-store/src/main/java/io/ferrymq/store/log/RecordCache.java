package io.ferrymq.store.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thread-safe (one lock; a hit is a map lookup): a bounded least-recently-used cache of records by address, so that
 * bodies can live on disk and hot ones are still read without a system call. Addresses are never reused for
 * different records while the log is open, so entries never go stale.
 */
final class RecordCache {

    /** A rough per-entry cost of the map node, key and record objects. */
    private static final int ENTRY_OVERHEAD = 96;

    private final long maxBytes;
    private final LinkedHashMap<Long, LogRecord> records = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    RecordCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized LogRecord get(long address) {
        return records.get(address);
    }

    void put(LogRecord record) {
        long cost = cost(record);
        // One huge record must not flush everything else out.
        if (cost > maxBytes / 8) {
            return;
        }
        synchronized (this) {
            LogRecord previous = records.put(record.address(), record);
            bytes += cost - (previous == null ? 0 : cost(previous));
            var it = records.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<Long, LogRecord> eldest = it.next();
                bytes -= cost(eldest.getValue());
                it.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    private static long cost(LogRecord record) {
        return record.size() + ENTRY_OVERHEAD;
    }
}
