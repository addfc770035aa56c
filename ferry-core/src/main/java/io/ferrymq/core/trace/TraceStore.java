package io.ferrymq.core.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The trace's files under the data directory: append-only segments {@code trace-<first seq>.log}, rotated by size,
 * the oldest deleted once retention evicted all of their events; and {@code settings}, the vhosts and queues with
 * trace on. Written through a buffer that {@link #flush()} pushes to the OS (a killed process loses at most the
 * last unflushed events; no fsync: a trace is a diagnostic, not a guarantee). Not thread-safe: the
 * {@link Tracer} calls it under its lock.
 */
final class TraceStore {
    private static final Logger LOG = LoggerFactory.getLogger(TraceStore.class);
    private static final String SETTINGS = "settings";
    /** No event is near this large; a larger length is a damaged file. */
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final Path dir;
    private final long segmentBytes;
    /** First seq of each segment file, oldest first. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private OutputStream out;
    private long written;
    private boolean dirty;

    TraceStore(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(file -> {
                    String name = file.getFileName().toString();
                    if (name.startsWith("trace-") && name.endsWith(".log")) {
                        try {
                            segments.put(Long.parseLong(name.substring(6, name.length() - 4)), file);
                        } catch (NumberFormatException ignored) {
                            // not ours
                        }
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the trace directory " + dir, e);
        }
    }

    /** Every event in the files, oldest first; a torn or unreadable tail of a segment is skipped (logged). */
    List<TraceEvent> load() {
        List<TraceEvent> events = new ArrayList<>();
        for (Path file : segments.values()) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                while (true) {
                    int length;
                    try {
                        length = in.readInt();
                    } catch (EOFException end) {
                        break;
                    }
                    if (length < 0 || length > MAX_EVENT_BYTES) {
                        LOG.warn("trace: {} holds a bad event length {}, the rest is skipped", file.getFileName(),
                                length);
                        break;
                    }
                    try {
                        events.add(TraceCodec.read(in, length));
                    } catch (EOFException torn) {
                        LOG.warn("trace: {} ends in a torn event, skipped", file.getFileName());
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("trace: the rest of {} cannot be read ({}), skipped", file.getFileName(), e.toString());
            }
        }
        return events;
    }

    /** Appends an event in its encoded form ({@link TraceCodec#encode}). */
    void append(long seq, byte[] record) {
        try {
            if (out == null || written >= segmentBytes) {
                rotate(seq);
            }
            out.write(record);
            written += record.length;
            dirty = true;
        } catch (IOException e) {
            LOG.warn("trace: an event could not be written: {}", e.toString());
        }
    }

    private void rotate(long firstSeq) throws IOException {
        if (out != null) {
            out.close();
        }
        Path file = dir.resolve(String.format("trace-%020d.log", firstSeq));
        segments.put(firstSeq, file);
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 64 * 1024);
        written = Files.size(file);
    }

    /** Deletes the segments all of whose events are older than {@code oldestKept} (the oldest seq retained). */
    void dropBefore(long oldestKept) {
        while (segments.size() > 1) {
            Long first = segments.firstKey();
            Long next = segments.higherKey(first);
            if (next == null || next > oldestKept) {
                return;
            }
            Path file = segments.remove(first);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("trace: {} could not be deleted: {}", file.getFileName(), e.toString());
            }
        }
    }

    void flush() {
        if (!dirty || out == null) {
            return;
        }
        try {
            out.flush();
            dirty = false;
        } catch (IOException e) {
            LOG.warn("trace: flush failed: {}", e.toString());
        }
    }

    void close() {
        flush();
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            LOG.warn("trace: close failed: {}", e.toString());
        }
        out = null;
    }

    /** Writes the vhosts and queues ({@code vhost}, then queue name) with trace on, replacing the file whole. */
    void saveSettings(Set<String> vhosts, Set<List<String>> queues) {
        Path tmp = dir.resolve(SETTINGS + ".tmp");
        try (DataOutputStream data = new DataOutputStream(Files.newOutputStream(tmp))) {
            data.writeInt(vhosts.size());
            for (String vhost : vhosts) {
                data.writeUTF(vhost);
            }
            data.writeInt(queues.size());
            for (List<String> queue : queues) {
                data.writeUTF(queue.get(0));
                data.writeUTF(queue.get(1));
            }
        } catch (IOException e) {
            LOG.warn("trace: settings could not be saved: {}", e.toString());
            return;
        }
        try {
            Files.move(tmp, dir.resolve(SETTINGS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("trace: settings could not be saved: {}", e.toString());
        }
    }

    /** Reads the settings into the two sets (nothing when there is no file). */
    void loadSettings(Set<String> vhosts, Set<List<String>> queues) {
        Path file = dir.resolve(SETTINGS);
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream stream = Files.newInputStream(file); DataInputStream in = new DataInputStream(stream)) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                vhosts.add(in.readUTF());
            }
            count = in.readInt();
            for (int i = 0; i < count; i++) {
                queues.add(List.of(in.readUTF(), in.readUTF()));
            }
        } catch (IOException e) {
            LOG.warn("trace: settings could not be read: {}", e.toString());
        }
    }
}
