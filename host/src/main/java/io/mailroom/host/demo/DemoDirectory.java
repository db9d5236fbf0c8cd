package io.mailroom.host.demo;

import io.mailroom.host.config.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The demo's own data directory, {@code <data dir>-demo} beside the real one ({@code data-demo/}
 * in an installation): its embedded database, key file and scratch space. It is emptied at each
 * demo start so every demo starts from the same seed, and it is never the real data directory.
 *
 * <p>Only a directory the demo made is ever emptied: it carries a marker file, and a directory
 * by that name that has files but no marker is refused. While a demo runs it holds a lock on
 * {@code demo.lock}, so a second demo on the same directory is refused instead of wiping the
 * first one's database under it. A database left running by a demo killed with SIGKILL (its
 * shutdown hook never ran) is stopped before its files are deleted. The unpacked PostgreSQL
 * binaries are kept: they are not data, and unpacking them again would slow every start.
 */
public final class DemoDirectory implements AutoCloseable {

    static final String MARKER = ".mailroom-demo";
    private static final String LOCK = "demo.lock";
    /** What survives a wipe: the marker, the lock this process holds, and the PostgreSQL binaries. */
    private static final Set<String> KEPT = Set.of(MARKER, LOCK, "postgres-bin");
    private static final Duration POSTMASTER_STOP = Duration.ofSeconds(30);

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DemoDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Where the demo keeps its data for a configured data directory: its sibling {@code <name>-demo}. */
    public static Path beside(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        Path name = absolute.getFileName();
        return name == null ? absolute.resolve("mailroom-demo") : absolute.resolveSibling(name + "-demo");
    }

    /** Takes the directory for this demo: locks it, then empties it (or creates it). */
    public static DemoDirectory claim(Path path) {
        Path dir = path.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER)) && !isEmpty(dir)) {
                throw new ConfigException("mailroom.data.dir", dir + " has files but was not made by"
                        + " 'mailroom serve --demo' (no " + MARKER + " in it); the demo empties its directory at"
                        + " each start, so it will not use this one: move it away");
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(MARKER), "The data of 'mailroom serve --demo', deleted at each demo start.\n",
                    StandardCharsets.US_ASCII);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another 'mailroom serve --demo' is running on " + dir
                        + "; stop it first (each demo empties this directory when it starts)");
            }
            DemoDirectory claimed = new DemoDirectory(dir, channel, lock);
            try {
                stopLeftOverPostmaster(dir);
                claimed.empty();
            } catch (RuntimeException e) {
                claimed.close();
                throw e;
            }
            return claimed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo directory " + dir, e);
        }
    }

    public Path path() {
        return path;
    }

    private void empty() throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(path)) {
            children = list.filter(child -> !KEPT.contains(child.getFileName().toString())).toList();
        }
        for (Path child : children) {
            deleteTree(child);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(root)) {
            deepestFirst = walk.sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (Path file : deepestFirst) {
            Files.deleteIfExists(file);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.findAny().isEmpty();
        }
    }

    /**
     * A demo killed with SIGKILL leaves its PostgreSQL running (it runs no shutdown hook): stop
     * it, by the pid PostgreSQL wrote, before deleting its files. The lock proves that no live
     * demo owns it.
     */
    private static void stopLeftOverPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try (Stream<String> lines = Files.lines(pidFile, StandardCharsets.US_ASCII)) {
            pid = Long.parseLong(lines.findFirst().orElse("").strip());
        } catch (NumberFormatException e) {
            return; // not a pid: no server to stop
        }
        // the pid may have been reused since: only a live postgres process is stopped
        var postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        postmaster.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown
        try {
            postmaster.get().onExit().get(POSTMASTER_STOP.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the demo's old PostgreSQL (pid " + pid + ")");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the PostgreSQL an earlier demo left running (pid " + pid + ") did not stop"
                    + " within " + POSTMASTER_STOP.toSeconds() + " s; stop it, then start the demo again");
        }
    }

    /** Lets the next demo take the directory; its files stay until then. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + path.resolve(LOCK), e);
        }
    }
}
