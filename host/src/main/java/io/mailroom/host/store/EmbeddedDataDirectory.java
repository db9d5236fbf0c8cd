package io.mailroom.host.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalInt;

/**
 * The files the embedded PostgreSQL keeps under Mailroom's data directory, and what they tell
 * about a server that may still be running from an earlier process.
 *
 * <pre>
 * data/postgres/        the cluster (PostgreSQL's own files, incl. postmaster.pid while it runs)
 * data/postgres.port    the port chosen at the first start: every later start reuses it, so a
 *                       server left behind by a killed JVM can be found again
 * data/postgres.lock    held while one process decides whether to start or to connect
 * data/postgres-bin/    the PostgreSQL binaries (see {@link #binaries()})
 * </pre>
 */
record EmbeddedDataDirectory(Path root) {

    EmbeddedDataDirectory {
        root = root.toAbsolutePath().normalize();
    }

    /** The PostgreSQL cluster itself; never cleaned. */
    Path cluster() {
        return root.resolve("postgres");
    }

    /**
     * Where the binaries are unpacked for a real installation. Not the default
     * {@code /tmp/embedded-pg}: {@code /tmp} is often mounted {@code noexec} on hardened hosts and
     * is pruned by tmpfiles cleaners while the server runs.
     */
    Path binaries() {
        return root.resolve("postgres-bin");
    }

    /**
     * The port in {@code postmaster.pid} (its fourth line), which PostgreSQL writes while a
     * postmaster runs on the cluster and leaves behind if the postmaster itself was killed.
     * Empty when there is no such file.
     */
    OptionalInt postmasterPort() {
        Path pidFile = cluster().resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.size() < 4 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(lines.get(3).strip()));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            // Being written right now, or not PostgreSQL's: the recorded port is the fallback.
            return recordedPort();
        }
    }

    OptionalInt recordedPort() {
        Path file = portFile();
        if (!Files.isRegularFile(file)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a port number; delete it to pick a new port", e);
        }
    }

    /** Written atomically: another process may be reading it to find the server. */
    void recordPort(int port) {
        try {
            Files.createDirectories(root);
            Path temporary = root.resolve("postgres.port.tmp");
            Files.writeString(temporary, port + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, portFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the embedded PostgreSQL port in " + portFile(), e);
        }
    }

    Path portFile() {
        return root.resolve("postgres.port");
    }

    /**
     * Blocks until no other process is starting a server on this directory. Without it, a
     * {@code serve} and a CLI command launched together on a fresh install would both run
     * {@code initdb} on the same cluster.
     */
    StartLock lockForStart() {
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve("postgres.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new StartLock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + root.resolve("postgres.lock"), e);
        }
    }

    /** The inter-process lock taken by {@link #lockForStart()}. */
    record StartLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try (channel) {
                lock.release();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
