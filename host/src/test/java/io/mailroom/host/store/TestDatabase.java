package io.mailroom.host.store;

import io.mailroom.host.config.MailroomConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * PostgreSQL for tests: one embedded server per test JVM, started on first use, and a fresh
 * database for each caller, so test classes never see each other's rows and need no cleanup.
 *
 * <pre>{@code
 * static Database database = TestDatabase.create();          // migrated, ready for DAOs
 * static String url = TestDatabase.freshDatabaseUrl();       // empty: the app under test migrates it
 * }</pre>
 *
 * The server runs with fsync off (its data is thrown away) in a temporary directory that is
 * deleted when the JVM exits.
 */
public final class TestDatabase {

    private static final AtomicInteger NEXT_DATABASE = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestDatabase() {
    }

    /** The JVM's shared server; started on first call. */
    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            Path dataDir = createTempDirectory();
            EmbeddedPostgresServer started =
                    EmbeddedPostgresServer.start(dataDir, EmbeddedPostgresServer.Durability.TESTS_ONLY_NO_FSYNC);
            Runtime.getRuntime().addShutdownHook(
                    new Thread(() -> stopAndDelete(started, dataDir), "test-postgres-cleanup"));
            server = started;
        }
        return server;
    }

    /**
     * Creates an empty database {@code t_<n>} and returns its URL,
     * {@code jdbc:postgresql://localhost:<port>/t_<n>?user=postgres&password=…}: give it to the app as
     * {@code mailroom.db.url} and the app migrates it on start.
     */
    public static String freshDatabaseUrl() {
        EmbeddedPostgresServer postgres = server();
        String name = "t_" + NEXT_DATABASE.incrementAndGet();
        new DatabaseCreation(postgres.dataSource(EmbeddedPostgresServer.MAINTENANCE_DATABASE)).createIfMissing(name);
        return postgres.jdbcUrl(name) + "&password=" + postgres.password();
    }

    /** A fresh database, migrated by {@link Database#open}; close it when the test class ends. */
    public static Database create() {
        return Database.open(config(freshDatabaseUrl()));
    }

    /** A configuration that points Mailroom at {@code url}, everything else default. */
    public static MailroomConfig config(String url) {
        return MailroomConfig.from(Map.of("mailroom.db.url", url, "mailroom.sources.allow.private.hosts", "true"));
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("mailroom-test-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * zonky's own shutdown hook may be stopping the server at the same moment (then our close
     * returns at once), so wait for PostgreSQL to remove its pid file before deleting.
     */
    private static void stopAndDelete(EmbeddedPostgresServer postgres, Path dataDir) {
        postgres.close();
        Path pidFile = postgres.clusterDirectory().resolve("postmaster.pid");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(pidFile) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
        // A suite leaves hundreds of databases behind: deleting their files here held the JVM's
        // exit past surefire's 30 s limit, so a process of its own deletes them after the exit.
        try {
            new ProcessBuilder("rm", "-rf", dataDir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noRm) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // Best effort: the JVM is exiting; a leftover temp directory is harmless.
            }
        }
    }
}
