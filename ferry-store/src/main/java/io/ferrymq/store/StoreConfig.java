package io.ferrymq.store;

/**
 * The store's settings.
 *
 * @param segmentBytes            a segment is rolled when the next record would take it past this size (a single
 *                                larger record gets a segment of its own)
 * @param syncBytes               the group-commit byte cap: the writer forces once this many bytes were written
 *                                since the last force, even if more appends are waiting; also its write buffer size
 * @param cacheBytes              bound of the read cache of records (0 disables it)
 * @param compression             how bodies at or above {@code compressionThreshold} are compressed
 * @param compressionThreshold    smaller bodies are stored as they are
 * @param compactionThreshold     a sealed segment whose needed bytes (live records plus deletes that must be
 *                                kept) fall below this fraction of its size is compacted; 0.5 keeps the disk use
 *                                within about twice the live data
 * @param checkpointIntervalBytes a checkpoint is written after this many bytes were appended since the last one,
 *                                bounding the part of the log recovery has to scan
 */
public record StoreConfig(int segmentBytes, int syncBytes, long cacheBytes, Compression compression,
                          int compressionThreshold, double compactionThreshold, long checkpointIntervalBytes) {

    public static final int MIN_SEGMENT_BYTES = 1024;

    public StoreConfig {
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > 1 << 30) {
            throw new IllegalArgumentException("store segment size " + segmentBytes + " must be between "
                    + MIN_SEGMENT_BYTES + " and 1 GiB");
        }
        if (syncBytes < 4096) {
            throw new IllegalArgumentException("store sync byte cap " + syncBytes + " must be at least 4096");
        }
        if (cacheBytes < 0 || compressionThreshold < 0 || checkpointIntervalBytes <= 0) {
            throw new IllegalArgumentException("store cache size, compression threshold and checkpoint interval "
                    + "must not be negative (got " + cacheBytes + ", " + compressionThreshold + ", "
                    + checkpointIntervalBytes + ")");
        }
        if (!(compactionThreshold >= 0 && compactionThreshold < 1)) {
            throw new IllegalArgumentException("store compaction threshold " + compactionThreshold
                    + " must be in [0, 1)");
        }
        if (compression == null) {
            throw new IllegalArgumentException("store compression must be set (NONE, LZ4 or ZSTD)");
        }
    }

    /** 64 MiB segments, 1 MiB group-commit cap, 64 MiB cache, LZ4 from 4 KiB, compaction below half live. */
    public static StoreConfig defaults() {
        return new StoreConfig(64 << 20, 1 << 20, 64L << 20, Compression.LZ4, 4096, 0.5, 256L << 20);
    }

    public StoreConfig withSegmentBytes(int bytes) {
        return new StoreConfig(bytes, syncBytes, cacheBytes, compression, compressionThreshold,
                compactionThreshold, checkpointIntervalBytes);
    }

    public StoreConfig withCacheBytes(long bytes) {
        return new StoreConfig(segmentBytes, syncBytes, bytes, compression, compressionThreshold,
                compactionThreshold, checkpointIntervalBytes);
    }

    public StoreConfig withCompression(Compression kind, int threshold) {
        return new StoreConfig(segmentBytes, syncBytes, cacheBytes, kind, threshold, compactionThreshold,
                checkpointIntervalBytes);
    }

    public StoreConfig withCompactionThreshold(double threshold) {
        return new StoreConfig(segmentBytes, syncBytes, cacheBytes, compression, compressionThreshold, threshold,
                checkpointIntervalBytes);
    }

    public StoreConfig withCheckpointIntervalBytes(long bytes) {
        return new StoreConfig(segmentBytes, syncBytes, cacheBytes, compression, compressionThreshold,
                compactionThreshold, bytes);
    }
}
