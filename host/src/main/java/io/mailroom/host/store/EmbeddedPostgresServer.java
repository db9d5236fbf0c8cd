package io.mailroom.host.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL Mailroom runs itself when no database URL is configured, so that a first
 * install needs nothing but Java. Its cluster lives under {@code <dataDir>/postgres} and is never
 * cleaned: it is the installation's real data.
 *
 * <p>The port is chosen once and recorded in {@code <dataDir>/postgres.port}, so clients and
 * operators always find the server at the same address. A server left running by an earlier
 * process (a JVM killed with SIGKILL runs no shutdown hook), or started by a {@code serve} while a
 * CLI command such as {@code mailroom token create} runs, is found through its {@code
 * postmaster.pid} and connected to instead of being started twice (zonky would fail on its lock,
 * or PostgreSQL on its pid file). {@link #close()} stops the server only when this process started
 * it; a server connected to is left running, and so is one a killed JVM left behind: the next
 * process connects to it, but none stops it (stop it with {@code pg_ctl stop}, or SIGTERM to the
 * postmaster).
 *
 * <p>Authentication is {@code trust} (zonky runs {@code initdb -A trust}), so the server listens
 * on loopback only.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The database Mailroom's tables live in; created on first start. */
    public static final String DATABASE = "mailroom";
    static final String SUPERUSER = "postgres";
    /** The database every PostgreSQL has, to connect to before {@value #DATABASE} exists. */
    static final String MAINTENANCE_DATABASE = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** Serialises starts within this JVM; the file lock only excludes other processes. */
    private static final Object START_LOCK = new Object();

    /** How the server trades durability for speed. */
    public enum Durability {
        /**
         * fsync and synchronous commit on: a committed transaction survives a power cut. zonky
         * itself starts PostgreSQL with {@code -F} and {@code synchronous_commit=off}.
         */
        DURABLE,
        /** zonky's defaults, fsync off. For tests only, whose data is thrown away. */
        TESTS_ONLY_NO_FSYNC
    }

    private final EmbeddedDataDirectory directory;
    private final int port;
    private final EmbeddedPostgres startedHere;

    private EmbeddedPostgresServer(EmbeddedDataDirectory directory, int port, EmbeddedPostgres startedHere) {
        this.directory = directory;
        this.port = port;
        this.startedHere = startedHere;
    }

    /** Starts (or connects to) the durable server for {@code dataDir}. */
    public static EmbeddedPostgresServer start(Path dataDir) {
        return start(dataDir, Durability.DURABLE);
    }

    public static EmbeddedPostgresServer start(Path dataDir, Durability durability) {
        EmbeddedDataDirectory directory = new EmbeddedDataDirectory(dataDir);
        EmbeddedPostgresServer server;
        synchronized (START_LOCK) {
            try (EmbeddedDataDirectory.StartLock ignored = directory.lockForStart()) {
                server = startOrConnect(directory, durability);
            }
        }
        try {
            new DatabaseCreation(server.dataSource(MAINTENANCE_DATABASE)).createIfMissing(DATABASE);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static EmbeddedPostgresServer startOrConnect(EmbeddedDataDirectory directory, Durability durability) {
        OptionalInt running = directory.postmasterPort();
        if (running.isPresent() && servesCluster(running.getAsInt(), directory)) {
            LOG.info("Connecting to the embedded PostgreSQL already running on port {} for {}",
                    running.getAsInt(), directory.cluster());
            return new EmbeddedPostgresServer(directory, running.getAsInt(), null);
        }
        int port = directory.recordedPort().orElseGet(EmbeddedPostgresServer::freePort);
        directory.recordPort(port);
        try {
            EmbeddedPostgres postgres = EmbeddedServerSettings.builder(directory, durability, port).start();
            LOG.info("Started embedded PostgreSQL on port {} with data in {}", port, directory.cluster());
            return new EmbeddedPostgresServer(directory, port, postgres);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + directory.cluster()
                    + " on port " + port + " (recorded in " + directory.portFile() + "). If another program now"
                    + " uses that port, stop it or delete that file to pick a new port.", e);
        }
    }

    /** True when a PostgreSQL answers on {@code port} and its data directory is this cluster. */
    private static boolean servesCluster(int port, EmbeddedDataDirectory directory) {
        PGSimpleDataSource probe = dataSource(port, MAINTENANCE_DATABASE);
        probe.setConnectTimeout(2);
        probe.setLoginTimeout(2);
        probe.setSocketTimeout(5);
        try (Connection connection = probe.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW data_directory")) {
            return row.next() && Files.isSameFile(Path.of(row.getString(1)), directory.cluster());
        } catch (SQLException | IOException e) {
            LOG.debug("No embedded PostgreSQL of {} answers on port {}: {}", directory.cluster(), port, e.toString());
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the embedded PostgreSQL", e);
        }
    }

    private static PGSimpleDataSource dataSource(int port, String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(SUPERUSER);
        return dataSource;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of any database on this server (tests create one per test class). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    /** An unpooled data source of the {@value #DATABASE} database. */
    public DataSource dataSource() {
        return dataSource(DATABASE);
    }

    public DataSource dataSource(String database) {
        return dataSource(port, database);
    }

    /** Whether this process started the server (and so stops it on {@link #close()}). */
    public boolean startedHere() {
        return startedHere != null;
    }

    public Path clusterDirectory() {
        return directory.cluster();
    }

    /** Stops the server if this process started it; a server that was connected to keeps running. */
    @Override
    public void close() {
        if (startedHere == null) {
            return;
        }
        try {
            startedHere.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL in " + directory.cluster(), e);
        }
    }
}
