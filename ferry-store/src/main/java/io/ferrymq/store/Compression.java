package io.ferrymq.store;

/** How large bodies are compressed on disk. Reads understand every kind, whatever is configured. */
public enum Compression {
    NONE,
    /** Fast, modest ratio: the default. */
    LZ4,
    /** Slower, better ratio. */
    ZSTD
}
