package io.mailroom.host.plugins;

import io.mailroom.api.source.ContentSpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The host's scratch space, {@code <data dir>/scratch/<pid>-<process start>}: the plugins'
 * scratch directories and the {@link ContentSpool} that sources hand message content through.
 * One directory per process, because a CLI command may run beside the server on the same data
 * directory; what a process that is gone left behind (after a crash) is deleted when the next
 * one opens. The start time tells a process that reused a pid (in a container, always 1) from
 * the one that left the directory.
 */
public final class ScratchSpace {

    private final Path root;
    private final ContentSpool spool;

    private ScratchSpace(Path root) {
        this.root = root;
        this.spool = new ContentSpool(root.resolve("spool"), ContentSpool.DEFAULT_MEMORY_LIMIT);
    }

    /** This process's scratch space under {@code dataDir}, after deleting what dead processes left. */
    public static ScratchSpace open(Path dataDir) {
        Path scratch = dataDir.resolve("scratch");
        try {
            Files.createDirectories(scratch);
            try (DirectoryStream<Path> runs = Files.newDirectoryStream(scratch)) {
                for (Path run : runs) {
                    if (leftBehind(run.getFileName().toString())) {
                        deleteTree(run);
                    }
                }
            }
            Path root = scratch.resolve(runName(ProcessHandle.current()));
            Files.createDirectories(root);
            return new ScratchSpace(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the scratch directory " + scratch, e);
        }
    }

    /** The spool every source writes message content to. */
    public ContentSpool spool() {
        return spool;
    }

    /** The scratch directory of one plugin, created if needed. */
    public Path pluginDirectory(String pluginId) {
        Path directory = root.resolve("plugins").resolve(pluginId);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scratch directory " + directory, e);
        }
        return directory;
    }

    private static String runName(ProcessHandle process) {
        return process.pid() + "-" + process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** A run directory whose process is gone: no live process has its pid and start time. */
    private static boolean leftBehind(String name) {
        int dash = name.indexOf('-');
        if (dash < 1) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(name.substring(0, dash));
        } catch (NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).map(process -> !runName(process).equals(name)).orElse(true);
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
