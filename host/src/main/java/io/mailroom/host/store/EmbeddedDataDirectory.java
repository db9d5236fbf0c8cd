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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

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
 * data/postgres.password the superuser's password (0600), made at the first start
 * data/postgres.owner   the process that runs the server ("pid start-millis"); a server whose
 *                       owner is gone is adopted by the next process, which then stops it
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

    Path passwordFile() {
        return root.resolve("postgres.password");
    }

    /**
     * The superuser's password: read from {@code postgres.password}, or made (256 random bits)
     * and written there, readable by the owner only, when there is none. The file is created
     * with 0600 from the start; an existing one is narrowed to 0600 if it was wider.
     */
    String password() {
        Path file = passwordFile();
        try {
            Files.createDirectories(root);
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String made = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Path temporary = root.resolve("postgres.password.tmp");
                Files.deleteIfExists(temporary);
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(temporary, made + "\n", StandardCharsets.US_ASCII);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty; delete it only together with the database");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    Path ownerFile() {
        return root.resolve("postgres.owner");
    }

    /** Records this process as the one that runs (and will stop) the server. */
    void recordOwner() {
        ProcessHandle self = ProcessHandle.current();
        String line = self.pid() + " " + self.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("0");
        try {
            Path temporary = root.resolve("postgres.owner.tmp");
            Files.writeString(temporary, line + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, ownerFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + ownerFile(), e);
        }
    }

    /** Whether the process that runs the server is still alive (the same process, not a reused pid). */
    boolean ownerAlive() {
        try {
            String[] fields = Files.readString(ownerFile(), StandardCharsets.US_ASCII).strip().split(" ");
            long pid = Long.parseLong(fields[0]);
            long started = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
            Optional<ProcessHandle> owner = ProcessHandle.of(pid);
            return owner.isPresent() && owner.get().isAlive() && (started == 0 || owner.get().info().startInstant()
                    .map(instant -> instant.toEpochMilli() == started).orElse(true));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
