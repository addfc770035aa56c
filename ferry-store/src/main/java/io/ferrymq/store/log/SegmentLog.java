package io.ferrymq.store.log;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.StoreException;
import io.ferrymq.store.file.StoreFile;
import io.ferrymq.store.file.StoreFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Reads on any thread, writes on the writer thread once {@link #start started} (before that the opening thread may
 * {@link #scan} with repair): the log over a directory of segment files (see {@link SegmentHeader} and
 * {@link FramedRecord} for the bytes).
 *
 * <p>Addresses are global positions: a record's address is its segment's base plus its offset in the file, and a
 * new segment starts where the previous one ends. Addresses only grow while the log is open, and no address of a
 * damaged file removed at open is ever reused, so a stale address can fail to resolve but never resolve to another
 * record.
 *
 * <p>When the file layer {@linkplain StoreFiles#preallocates() preallocates}, the next segment's file is prepared
 * ahead on a thread of its own ({@link SegmentPreparer}) at the full segment size in zero-filled blocks, and the
 * active segment's appends overwrite those zeros: each force then commits data only, no size or extent change. A
 * segment's logical end ({@link Segment#size()}) is where its records end, not its file's length; readers and the
 * cache never read past it. Sealed segments and a cleanly closed active segment are cut to their records' end, so
 * only the last segment after a crash has a zero tail, which the recovery scan reads as its clean end
 * ({@link SegmentScanner}) and keeps, so that appends continue into it.
 */
public final class SegmentLog implements Log {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    /** A first read of this many bytes usually holds the whole record: one system call per read. */
    private static final int FIRST_READ_BYTES = 4096;
    private static final int READ_AHEAD_BYTES = 64 * 1024;
    /** For the scan {@link #start} runs itself: nobody else asked, so the damage it finds is logged. */
    private static final ScanListener LOG_DAMAGE = new ScanListener() {
        @Override
        public void record(long address, int size, byte type, byte flags, ByteBuffer payload) {
        }

        @Override
        public void damaged(Damage damage) {
            LOG.warn("store log scan at start: {}", damage);
        }
    };

    private final StoreFiles files;
    private final StoreConfig config;
    private final ConcurrentSkipListMap<Long, Segment> segments;
    private final RecordCache cache;
    /** Whether a cache miss continues a recent read (read ahead) or lands at a random place (read the record). */
    private final ReadPattern readPattern = new ReadPattern(READ_AHEAD_BYTES);
    /** End of the highest damaged segment file removed at open: new segments start at or after it. */
    private final long damagedEnd;
    /**
     * Set at open when the last segment's file ends in a zero byte, so that it may hold a preallocated zero tail
     * after its records: its logical end is then unknown until a repairing scan reaches the end of the file.
     */
    private boolean lastTailUnknown;
    private volatile GroupCommitWriter writer;
    private SegmentAppender appender;
    private SegmentPreparer preparer;
    /** Removes deleted segments' files gradually; only where files preallocate (a real disk), else null. */
    private SegmentDeleter deleter;

    private SegmentLog(StoreFiles files, StoreConfig config, ConcurrentSkipListMap<Long, Segment> segments,
                       long damagedEnd) {
        this.files = files;
        this.config = config;
        this.segments = segments;
        this.damagedEnd = damagedEnd;
        this.cache = config.cacheBytes() > 0 ? new RecordCache(config.cacheBytes()) : null;
    }

    /**
     * Opens the segments in {@code files}: checks every header, deletes a last segment whose header a crash tore,
     * and renames any other segment with a damaged header to {@code .corrupt}, adding what it did to
     * {@code damages}. Deletes a prepared segment file a crash left ({@link SegmentNames#PREPARED_SUFFIX}) and the
     * files of deleted segments not yet removed ({@link SegmentNames#DELETED_SUFFIX}).
     *
     * <p>Until the last segment is scanned, its {@link #segmentSize} is its file's length, which after a crash may
     * include a preallocated zero tail: scan it (with repair) before {@link #start}, or start scans it itself.
     *
     * @throws io.ferrymq.store.UnsupportedFormatException if a segment was written by a newer format version
     */
    public static SegmentLog open(StoreFiles files, StoreConfig config, List<Damage> damages) throws IOException {
        TreeMap<Long, String> names = new TreeMap<>();
        for (String name : files.list()) {
            OptionalLong base = SegmentNames.parse(name);
            if (base.isPresent()) {
                names.put(base.getAsLong(), name);
            } else if (name.endsWith(SegmentNames.PREPARED_SUFFIX)) {
                // prepared for a roll that never happened; not a segment, and nothing was ever in it
                files.delete(name);
            } else if (name.endsWith(SegmentNames.DELETED_SUFFIX)) {
                // a deleted segment whose file a crash or close left behind
                files.delete(name);
            }
        }
        ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
        long damagedEnd = 0;
        boolean renamed = false;
        try {
            for (Map.Entry<Long, String> entry : names.entrySet()) {
                long base = entry.getKey();
                String name = entry.getValue();
                StoreFile file = files.open(name, false);
                long size;
                String damage;
                try {
                    size = file.size();
                    damage = SegmentHeader.check(file, size, base, files.describe(name));
                } catch (IOException | RuntimeException e) {
                    file.close();
                    throw e;
                }
                if (damage == null) {
                    segments.put(base, new Segment(base, name, file, size));
                    continue;
                }
                file.close();
                damagedEnd = Math.max(damagedEnd, base + size);
                renamed = true;
                if (base == names.lastKey() && size <= SegmentHeader.BYTES) {
                    files.delete(name);
                    damages.add(new Damage(DamageKind.TORN_SEGMENT, files.describe(name), -1, size, -1,
                            new byte[0], damage + "; no record was in it, file deleted"));
                } else {
                    files.rename(name, name + SegmentNames.QUARANTINE_SUFFIX);
                    damages.add(new Damage(DamageKind.CORRUPT_SEGMENT, files.describe(name), -1, size, -1,
                            new byte[0], damage + "; renamed to " + name + SegmentNames.QUARANTINE_SUFFIX
                            + ", its records are lost"));
                }
            }
            if (renamed) {
                files.syncDirectory();
            }
        } catch (IOException | RuntimeException e) {
            for (Segment segment : segments.values()) {
                closeQuietly(segment);
            }
            throw e;
        }
        SegmentLog log = new SegmentLog(files, config, segments, damagedEnd);
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last != null) {
            try {
                log.lastTailUnknown = files.preallocates() && endsInZero(last.getValue());
            } catch (IOException | RuntimeException e) {
                for (Segment segment : segments.values()) {
                    closeQuietly(segment);
                }
                throw e;
            }
        }
        return log;
    }

    private static boolean endsInZero(Segment segment) throws IOException {
        if (segment.size() <= SegmentHeader.BYTES) {
            return false;
        }
        ByteBuffer lastByte = ByteBuffer.allocate(1);
        segment.file.readFully(lastByte, segment.size() - 1);
        return lastByte.get(0) == 0;
    }

    /** The base positions of the segments, ascending. */
    public List<Long> segmentBases() {
        return new ArrayList<>(segments.keySet());
    }

    /**
     * The size of the segment at {@code base} (header and complete records: its logical end, not its file's
     * length), or -1 if there is none. Before a scan of the last segment, see {@link #open}.
     */
    public long segmentSize(long base) {
        Segment segment = segments.get(base);
        return segment == null ? -1 : segment.size();
    }

    /**
     * Bytes of all segments (header and records). Any thread. On a preallocating disk the files take more: the
     * active segment's file and the prepared next one are a whole segment each.
     */
    public long diskBytes() {
        long total = 0;
        for (Segment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    /** The offset of the first record in every segment. */
    public static int firstRecordOffset() {
        return SegmentHeader.BYTES;
    }

    /**
     * Scans the segment at {@code base} from {@code offset}, reporting intact records and damage to
     * {@code listener}; see {@link SegmentScanner} for what damage means. Before {@link #start} the scan repairs
     * (cuts what it cannot read); afterwards it only reads, and only sealed segments.
     *
     * @param maxBytes    stop once at least this many bytes were scanned
     * @param durableHint below this position everything was known durable (a checkpoint's position, or 0)
     * @return the offset where the scan stopped
     */
    public long scan(long base, long offset, long maxBytes, long durableHint, ScanListener listener)
            throws IOException {
        Segment segment = segments.get(base);
        if (segment == null) {
            throw new IllegalArgumentException("no segment starts at position " + base + " in " + this);
        }
        boolean repair = writer == null;
        if (!repair && base == appender.active().base) {
            throw new IllegalStateException("the active segment " + segment + " cannot be scanned while writing");
        }
        boolean last = base == segments.lastKey();
        long stopped = new SegmentScanner(segment, files.describe(segment.name), last, repair,
                files.preallocates(), durableHint, listener).scan(Math.max(offset, SegmentHeader.BYTES), maxBytes);
        if (repair && last && stopped >= segment.size()) {
            lastTailUnknown = false;
        }
        return stopped;
    }

    /**
     * Starts the writer thread. Appends continue the last segment, unless a damaged file above it was removed at
     * open, in which case a new segment starts past every address that file could have held. A last segment whose
     * end no repairing scan has found yet (it may have a preallocated zero tail) is scanned first, its damage only
     * logged: appending after a zero tail instead of into it would make the tail look like damage later.
     */
    public synchronized void start(WriterHooks hooks) throws IOException {
        if (writer != null) {
            throw new IllegalStateException("the log in " + this + " is already started");
        }
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last != null && lastTailUnknown) {
            scan(last.getKey(), SegmentHeader.BYTES, Long.MAX_VALUE, 0, LOG_DAMAGE);
        }
        if (files.preallocates()) {
            preparer = new SegmentPreparer(files, config.segmentBytes(), "ferry-store-prepare");
            deleter = new SegmentDeleter(files, "ferry-store-delete");
        }
        Segment active;
        if (last != null && last.getValue().end() >= damagedEnd) {
            active = last.getValue();
        } else {
            if (last != null) {
                // sealed now: cut a zero tail the scan kept, as a roll would
                last.getValue().trimTail();
                last.getValue().file.force();
            }
            active = createSegment(Math.max(damagedEnd, last == null ? 0 : last.getValue().end()));
        }
        if (preparer != null) {
            preparer.prepare();
        }
        SegmentPreparer prepared = preparer;
        appender = new SegmentAppender(this::createSegment, () -> prepared != null && prepared.ready(), active,
                config.segmentBytes(), config.syncBytes());
        GroupCommitWriter started = new GroupCommitWriter(this, appender, hooks, config.syncBytes(),
                "ferry-store-writer");
        writer = started;
        started.start();
    }

    /** Whether the writer thread waits for work and no one writes (tests wait for it to know who will write). */
    boolean writerIdle() {
        GroupCommitWriter started = writer;
        return started != null && started.idle();
    }

    /** Whether a preallocated file waits for the next roll (tests wait for it to make rolls predictable). */
    boolean nextSegmentPrepared() {
        SegmentPreparer prepared = preparer;
        return prepared != null && prepared.ready();
    }

    /**
     * Deletes a sealed segment file. Writer thread (or before start). Not durable until {@link #syncDirectory}. On a
     * real disk the file is renamed out of the log and removed later, a slice at a time ({@link SegmentDeleter}).
     */
    public void deleteSegment(long base) throws IOException {
        if (appender != null && appender.active().base == base) {
            throw new IllegalStateException("the active segment at " + base + " cannot be deleted");
        }
        Segment segment = segments.remove(base);
        if (segment != null) {
            closeQuietly(segment);
            if (deleter == null) {
                files.delete(segment.name);
            } else {
                String deleted = segment.name + SegmentNames.DELETED_SUFFIX;
                files.rename(segment.name, deleted);
                deleter.delete(deleted);
            }
        }
    }

    /** Whether every deleted segment's file is gone from the disk (tests). */
    boolean deletionsDone() {
        SegmentDeleter started = deleter;
        return started == null || started.idle();
    }

    public void syncDirectory() throws IOException {
        files.syncDirectory();
    }

    long segmentBase(long address) {
        Long base = segments.floorKey(address);
        if (base == null) {
            throw new IllegalArgumentException("no segment holds position " + address + " in " + this);
        }
        return base;
    }

    /**
     * Creates the segment file at {@code base}, header forced and its directory entry durable: from the prepared
     * file if one is ready (its header overwrites zeros, then the rename gives it its name), else a new file that
     * grows with its appends. Either way starts preparing the next one.
     */
    private Segment createSegment(long base) throws IOException {
        String name = SegmentNames.name(base);
        StoreFile prepared = preparer == null ? null : preparer.take();
        StoreFile file = prepared != null ? prepared : files.open(name, true);
        try {
            if (prepared == null) {
                file.truncate(0);
            }
            file.write(SegmentHeader.encode(base), 0);
            file.force();
            if (prepared != null) {
                files.rename(SegmentNames.PREPARED, name);
            }
            files.syncDirectory();
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        Segment segment = new Segment(base, name, file, SegmentHeader.BYTES);
        segment.preallocated(prepared != null);
        segments.put(base, segment);
        if (preparer != null) {
            preparer.prepare();
        }
        return segment;
    }

    @Override
    public CompletableFuture<Long> append(byte type, byte flags, ByteBuffer payload, Durability durability) {
        FramedRecord record = FramedRecord.of(type, flags, payload);
        return submit(writer -> writer.append(record), durability);
    }

    @Override
    public <T> CompletableFuture<T> submit(LogTask<T> task, Durability durability) {
        GroupCommitWriter started = writer;
        if (started == null) {
            throw new IllegalStateException("the log in " + this + " is not started");
        }
        return started.submit(task, durability);
    }

    @Override
    public LogRecord read(long address) {
        if (cache != null) {
            LogRecord cached = cache.get(address);
            if (cached != null) {
                return cached;
            }
        }
        if (cache != null) {
            if (readPattern.continues(address)) {
                return readAhead(address);
            }
            // a read at a random place: just the record (the next one there will read ahead)
            LogRecord record = readRecord(address, Integer.MAX_VALUE, true);
            cache.put(record);
            readPattern.ended(address + record.size());
            return record;
        }
        return readRecord(address, Integer.MAX_VALUE, true);
    }

    /**
     * Reads the record at {@code address} and, in the same read, the whole records after it within
     * {@value #READ_AHEAD_BYTES} bytes, caching each one that passes its checksum: a consumer draining a backlog
     * reads its messages in address order, so one read serves the next few dozen. Only for a read that continues a
     * recent one ({@link ReadPattern}): the first read of a drain reads just its record. A damaged record after the one
     * asked for only ends the read-ahead.
     */
    private LogRecord readAhead(long address) {
        Segment segment = segmentHolding(address);
        long offset = address - segment.base;
        ByteBuffer window = ByteBuffer.allocate((int) Math.min(segment.size() - offset, READ_AHEAD_BYTES));
        try {
            segment.file.readFully(window, offset);
        } catch (IOException e) {
            throw new StoreException("reading position " + address + " of " + files.describe(segment.name)
                    + " failed: " + e, e);
        }
        int first = window.getInt(0);
        if (first < 0 || FramedRecord.HEADER_BYTES + (long) first > window.capacity()) {
            // larger than the window (or damaged, which the plain read reports)
            LogRecord record = readRecord(address, Integer.MAX_VALUE, true);
            cache.put(record);
            return record;
        }
        LogRecord wanted = null;
        int at = 0;
        while (window.capacity() - at >= FramedRecord.HEADER_BYTES) {
            int length = window.getInt(at);
            if (length < 0 || FramedRecord.HEADER_BYTES + (long) length > window.capacity() - at) {
                break;
            }
            byte[] payload = new byte[length];
            window.get(at + FramedRecord.HEADER_BYTES, payload);
            byte type = window.get(at + 8);
            byte flags = window.get(at + 9);
            if (FramedRecord.crc(type, flags, ByteBuffer.wrap(payload)) != window.getInt(at + 4)) {
                if (at == 0) {
                    throw new StoreException("the record at position " + address + " in "
                            + files.describe(segment.name) + " fails its checksum: its data is damaged on disk");
                }
                break;
            }
            LogRecord record = new LogRecord(address + at, type, flags, FramedRecord.HEADER_BYTES + length,
                    ByteBuffer.wrap(payload).asReadOnlyBuffer());
            if (at == 0) {
                wanted = record;
            }
            cache.put(record);
            at += FramedRecord.HEADER_BYTES + length;
        }
        readPattern.ended(address + at);
        return wanted;
    }

    @Override
    public LogRecord peek(long address, int payloadBytes) {
        if (cache != null) {
            LogRecord cached = cache.get(address);
            if (cached != null) {
                return cached;
            }
        }
        return readRecord(address, payloadBytes, false);
    }

    private LogRecord readRecord(long address, int maxPayload, boolean verify) {
        Segment segment = segmentHolding(address);
        long offset = address - segment.base;
        long available = segment.size() - offset;
        try {
            // a peek (every delete checks the key of the record it kills) needs only the header and a few bytes
            long firstBytes = maxPayload == Integer.MAX_VALUE ? FIRST_READ_BYTES
                    : FramedRecord.HEADER_BYTES + (long) maxPayload;
            ByteBuffer first = ByteBuffer.allocate((int) Math.min(available, firstBytes));
            segment.file.readFully(first, offset);
            int length = first.getInt(0);
            if (length < 0 || FramedRecord.HEADER_BYTES + (long) length > available) {
                throw new StoreException("no record at position " + address + " in "
                        + files.describe(segment.name) + ": its length field reads " + length
                        + "; the address is wrong or the file is damaged");
            }
            int wanted = Math.min(length, maxPayload);
            ByteBuffer payload;
            if (FramedRecord.HEADER_BYTES + wanted <= first.capacity()) {
                payload = first.position(FramedRecord.HEADER_BYTES).limit(FramedRecord.HEADER_BYTES + wanted)
                        .slice();
            } else {
                payload = ByteBuffer.allocate(wanted);
                segment.file.readFully(payload, offset + FramedRecord.HEADER_BYTES);
                payload.flip();
            }
            byte type = first.get(8);
            byte flags = first.get(9);
            if (verify && FramedRecord.crc(type, flags, payload) != first.getInt(4)) {
                throw new StoreException("the record at position " + address + " in "
                        + files.describe(segment.name) + " fails its checksum: its data is damaged on disk");
            }
            return new LogRecord(address, type, flags, FramedRecord.HEADER_BYTES + length,
                    payload.asReadOnlyBuffer());
        } catch (IOException e) {
            throw new StoreException("reading position " + address + " of " + files.describe(segment.name)
                    + " failed: " + e, e);
        }
    }

    private Segment segmentHolding(long address) {
        Map.Entry<Long, Segment> entry = segments.floorEntry(address);
        if (entry == null || address < entry.getKey() + SegmentHeader.BYTES
                || address + FramedRecord.HEADER_BYTES > entry.getValue().end()) {
            throw new StoreException("no record at position " + address + " in " + this
                    + ": no segment holds it (it was deleted, or the address is wrong)");
        }
        return entry.getValue();
    }

    @Override
    public long durablePosition() {
        GroupCommitWriter started = writer;
        return started == null ? 0 : started.durablePosition();
    }

    @Override
    public LogStats stats() {
        GroupCommitWriter started = writer;
        return started == null ? new LogStats(0, 0, 0, 0) : started.stats();
    }

    /** Bytes held by the read cache. */
    public long cachedBytes() {
        return cache == null ? 0 : cache.bytes();
    }

    @Override
    public synchronized void close() {
        GroupCommitWriter started = writer;
        if (started != null) {
            started.stop();
            try {
                appender.seal();
            } catch (IOException e) {
                LOG.warn("forcing {} at close failed: records written without a force may be lost", this, e);
            }
        }
        if (preparer != null) {
            preparer.close();
        }
        if (deleter != null) {
            deleter.close();
        }
        for (Segment segment : segments.values()) {
            closeQuietly(segment);
        }
    }

    private static void closeQuietly(Segment segment) {
        try {
            segment.file.close();
        } catch (IOException e) {
            LOG.warn("closing segment {} failed", segment, e);
        }
    }

    @Override
    public String toString() {
        return files.toString();
    }
}
