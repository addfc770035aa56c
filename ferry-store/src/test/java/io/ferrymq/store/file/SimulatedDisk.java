package io.ferrymq.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Thread-safe (one lock): an in-memory disk that forgets what was not made durable when the machine "crashes",
 * deterministically — the store's kill -9 and power loss in a unit test.
 *
 * <p>It follows the contract of {@link StoreFiles}: file bytes are durable once forced, and directory changes
 * (create, delete, rename) once the directory is synced. {@link #crash} rolls every file back to its durable bytes
 * (or keeps a random prefix of what was appended after them, like a torn write), undoes the directory changes made
 * since the last directory sync (or, when tearing, keeps a random subset of them: POSIX promises no order), and
 * invalidates every handle of the crashed "boot": the store that ran on it can only fail from then on.
 * {@link #mount()} starts the next boot.
 */
public final class SimulatedDisk {

    /** What a crash keeps of what was not made durable. */
    public enum Crash {
        /** Nothing: every file is exactly as last forced, the directory as last synced. */
        DROP_UNSYNCED,
        /**
         * A random prefix of the unsynced appended bytes of each file (a torn write), and a random subset of the
         * unsynced directory changes.
         */
        KEEP_RANDOM_PREFIX
    }

    /**
     * A directory change not yet made durable: {@code name} maps to {@code inode} afterwards (null: removed), and
     * {@code renamedFrom}, if set, is gone (a rename is atomic: both or neither).
     */
    private record DirectoryChange(String name, Inode inode, String renamedFrom) {
    }

    private final Random random;
    private final Map<String, Inode> names = new HashMap<>();
    private Map<String, Inode> durableNames = new HashMap<>();
    private final List<DirectoryChange> unsyncedChanges = new ArrayList<>();
    private int generation;
    private int failingForces;
    private Runnable forceHook = () -> {
    };
    private long forces;
    private boolean preallocating;

    public SimulatedDisk(long seed) {
        // Scrambled: the first values of java.util.Random for neighbouring small seeds are nearly the same.
        this.random = new Random(new SplittableRandom(seed).nextLong());
    }

    /**
     * Makes {@link StoreFiles#preallocates()} true, so that a log on this disk writes into preallocated segment files
     * (whose preparation then also shows in {@link #forces()} and runs {@link #onForce} hooks).
     */
    public synchronized SimulatedDisk preallocating(boolean on) {
        preallocating = on;
        return this;
    }

    /** The file system of the current boot. */
    public synchronized StoreFiles mount() {
        return new Mount(generation);
    }

    public synchronized void crash(Crash mode) {
        Map<String, Inode> survivors = new HashMap<>(durableNames);
        if (mode == Crash.KEEP_RANDOM_PREFIX) {
            for (DirectoryChange change : unsyncedChanges) {
                if (random.nextBoolean()) {
                    if (change.inode() == null) {
                        survivors.remove(change.name());
                    } else {
                        survivors.put(change.name(), change.inode());
                    }
                    if (change.renamedFrom() != null) {
                        survivors.remove(change.renamedFrom());
                    }
                }
            }
        }
        unsyncedChanges.clear();
        for (Inode inode : new HashSet<>(survivors.values())) {
            inode.rollBack(mode == Crash.KEEP_RANDOM_PREFIX ? random : null);
        }
        names.clear();
        names.putAll(survivors);
        durableNames = new HashMap<>(survivors);
        generation++;
    }

    /** A separate disk holding what this one would keep if it crashed now (this one is left as it is). */
    public synchronized SimulatedDisk copyDurable(long seed) {
        SimulatedDisk copy = new SimulatedDisk(seed);
        for (Map.Entry<String, Inode> entry : durableNames.entrySet()) {
            Inode inode = new Inode();
            Inode original = entry.getValue();
            inode.data = Arrays.copyOf(original.durable, original.durableSize);
            inode.size = original.durableSize;
            inode.dirtyFrom = 0;
            inode.force();
            copy.names.put(entry.getKey(), inode);
        }
        copy.durableNames = new HashMap<>(copy.names);
        return copy;
    }

    /** The next {@code count} forces fail with an I/O error, as an fsync hitting EIO does; nothing gets durable. */
    public synchronized void failNextForces(int count) {
        failingForces = count;
    }

    /** Runs before each force, outside the disk's lock (a test may pause there to let batches build up). */
    public synchronized void onForce(Runnable hook) {
        forceHook = hook;
    }

    public synchronized long forces() {
        return forces;
    }

    public synchronized List<String> names() {
        return new ArrayList<>(names.keySet());
    }

    public synchronized byte[] bytes(String name) {
        Inode inode = inode(name);
        return Arrays.copyOf(inode.data, inode.size);
    }

    /** Replaces a file's content, durably (a test's way to damage a file as the disk would). */
    public synchronized void replace(String name, byte[] content) {
        Inode inode = inode(name);
        inode.data = content.clone();
        inode.size = content.length;
        inode.dirtyFrom = 0;
        inode.force();
    }

    /** Flips one bit of a file, durably. */
    public synchronized void flipBit(String name, long position, int bit) {
        Inode inode = inode(name);
        inode.data[(int) position] ^= (byte) (1 << bit);
        inode.dirtyFrom = Math.min(inode.dirtyFrom, (int) position);
        inode.force();
    }

    private Inode inode(String name) {
        Inode inode = names.get(name);
        if (inode == null) {
            throw new IllegalArgumentException("no file '" + name + "' on the simulated disk");
        }
        return inode;
    }

    private void checkAlive(int bootGeneration) throws IOException {
        if (bootGeneration != generation) {
            throw new IOException("the simulated machine crashed: this handle belongs to a previous boot");
        }
    }

    private static final class Inode {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];
        int durableSize;
        /** Lowest offset changed since the last force; only appends past durableSize can tear. */
        int dirtyFrom = Integer.MAX_VALUE;

        void write(ByteBuffer src, long position) {
            int at = (int) position;
            int length = src.remaining();
            if (at + length > data.length) {
                data = Arrays.copyOf(data, Math.max(at + length, data.length * 2));
            }
            src.get(data, at, length);
            size = Math.max(size, at + length);
            dirtyFrom = Math.min(dirtyFrom, at);
        }

        void truncate(long newSize) {
            if (newSize < size) {
                size = (int) newSize;
                dirtyFrom = Math.min(dirtyFrom, size);
            }
        }

        void force() {
            if (durable.length < size) {
                durable = Arrays.copyOf(durable, Math.max(size, durable.length * 2));
            }
            int from = Math.min(dirtyFrom, Math.min(size, durableSize));
            System.arraycopy(data, from, durable, from, size - from);
            durableSize = size;
            dirtyFrom = Integer.MAX_VALUE;
        }

        void rollBack(Random tearing) {
            int keep = 0;
            if (tearing != null && dirtyFrom >= durableSize && size > durableSize) {
                keep = tearing.nextInt(size - durableSize + 1);
            }
            byte[] kept = Arrays.copyOf(durable, durableSize + keep);
            System.arraycopy(data, durableSize, kept, durableSize, keep);
            data = kept;
            size = kept.length;
            durable = kept.clone();
            durableSize = size;
            dirtyFrom = Integer.MAX_VALUE;
        }
    }

    private final class Mount implements StoreFiles {
        private final int boot;

        Mount(int boot) {
            this.boot = boot;
        }

        @Override
        public List<String> list() throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive(boot);
                return new ArrayList<>(names.keySet());
            }
        }

        @Override
        public StoreFile open(String name, boolean create) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive(boot);
                Inode inode = names.get(name);
                if (inode == null) {
                    if (!create) {
                        throw new IOException("no file '" + name + "'");
                    }
                    inode = new Inode();
                    names.put(name, inode);
                    unsyncedChanges.add(new DirectoryChange(name, inode, null));
                }
                return new SimulatedFile(boot, inode);
            }
        }

        @Override
        public boolean exists(String name) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive(boot);
                return names.containsKey(name);
            }
        }

        @Override
        public void delete(String name) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive(boot);
                if (names.remove(name) != null) {
                    unsyncedChanges.add(new DirectoryChange(name, null, null));
                }
            }
        }

        @Override
        public void rename(String from, String to) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive(boot);
                Inode inode = names.remove(from);
                if (inode == null) {
                    throw new IOException("no file '" + from + "' to rename");
                }
                names.put(to, inode);
                unsyncedChanges.add(new DirectoryChange(to, inode, from));
            }
        }

        @Override
        public void syncDirectory() throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive(boot);
                durableNames = new HashMap<>(names);
                unsyncedChanges.clear();
            }
        }

        @Override
        public boolean preallocates() {
            synchronized (SimulatedDisk.this) {
                return preallocating;
            }
        }

        @Override
        public String describe(String name) {
            return "sim:" + name;
        }

        @Override
        public String toString() {
            return "simulated disk";
        }
    }

    private final class SimulatedFile implements StoreFile {
        private final int boot;
        private final Inode inode;
        private boolean closed;

        SimulatedFile(int boot, Inode inode) {
            this.boot = boot;
            this.inode = inode;
        }

        private void check() throws IOException {
            checkAlive(boot);
            if (closed) {
                throw new IOException("file is closed");
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                if (position >= inode.size) {
                    return -1;
                }
                int length = (int) Math.min(dst.remaining(), inode.size - position);
                dst.put(inode.data, (int) position, length);
                return length;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                inode.write(src, position);
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                return inode.size;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                inode.truncate(size);
            }
        }

        @Override
        public void force() throws IOException {
            Runnable hook;
            synchronized (SimulatedDisk.this) {
                hook = forceHook;
            }
            hook.run();
            synchronized (SimulatedDisk.this) {
                check();
                if (failingForces > 0) {
                    failingForces--;
                    throw new IOException("simulated fsync failure (EIO)");
                }
                forces++;
                inode.force();
            }
        }

        @Override
        public void close() {
            synchronized (SimulatedDisk.this) {
                closed = true;
            }
        }
    }
}
