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
 * or PostgreSQL on its pid file). Who runs the server is recorded in {@code postgres.owner}: a
 * server whose owner is still alive (a {@code serve} while a CLI command runs) is used and left
 * running; a server whose owner is gone (a JVM killed with SIGKILL runs no shutdown hook) is
 * adopted, and {@link #close()} stops it as if this process had started it. So a stop always
 * stops the database it uses, unless another live process still owns it.
 *
 * <p>Authentication is by password, SCRAM-SHA-256, on every connection (see
 * {@link EmbeddedAuthentication}); the server also listens on loopback only.
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

    /** How long a stop of an adopted server may take before Mailroom gives up waiting. */
    private static final long ADOPTED_STOP_SECONDS = 60;

    private final EmbeddedDataDirectory directory;
    private final int port;
    private final String password;
    private final EmbeddedPostgres startedHere;
    private final boolean adopted;

    private EmbeddedPostgresServer(EmbeddedDataDirectory directory, int port, String password,
                                   EmbeddedPostgres startedHere, boolean adopted) {
        this.directory = directory;
        this.port = port;
        this.password = password;
        this.startedHere = startedHere;
        this.adopted = adopted;
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
                server = startOrConnect(directory, durability, directory.password());
                try {
                    EmbeddedAuthentication.require(directory.cluster(), server.port, server.password);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
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

    private static EmbeddedPostgresServer startOrConnect(EmbeddedDataDirectory directory, Durability durability,
                                                         String password) {
        OptionalInt running = directory.postmasterPort();
        if (running.isPresent() && servesCluster(running.getAsInt(), directory, password)) {
            if (directory.ownerAlive()) {
                LOG.info("Connecting to the embedded PostgreSQL already running on port {} for {}",
                        running.getAsInt(), directory.cluster());
                return new EmbeddedPostgresServer(directory, running.getAsInt(), password, null, false);
            }
            directory.recordOwner();
            LOG.info("Adopting the embedded PostgreSQL on port {} for {}, left running by a process that is gone;"
                    + " it is stopped when Mailroom stops", running.getAsInt(), directory.cluster());
            return new EmbeddedPostgresServer(directory, running.getAsInt(), password, null, true);
        }
        int port = directory.recordedPort().orElseGet(EmbeddedPostgresServer::freePort);
        directory.recordPort(port);
        try {
            EmbeddedPostgres postgres = EmbeddedServerSettings.builder(directory, durability, port, password).start();
            directory.recordOwner();
            LOG.info("Started embedded PostgreSQL on port {} with data in {}", port, directory.cluster());
            return new EmbeddedPostgresServer(directory, port, password, postgres, false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + directory.cluster()
                    + " on port " + port + " (recorded in " + directory.portFile() + "). If another program now"
                    + " uses that port, stop it or delete that file to pick a new port.", e);
        }
    }

    /** True when a PostgreSQL answers on {@code port} and its data directory is this cluster. */
    private static boolean servesCluster(int port, EmbeddedDataDirectory directory, String password) {
        PGSimpleDataSource probe = dataSource(port, MAINTENANCE_DATABASE, password);
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

    /** A superuser data source; {@code password} may be null (to see that one is required). */
    static PGSimpleDataSource dataSource(int port, String database, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(SUPERUSER);
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of any database on this server (tests create one per test class); no password in it. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    /** The superuser's password (from {@code postgres.password}), for the pool. */
    String password() {
        return password;
    }

    /** An unpooled data source of the {@value #DATABASE} database. */
    public DataSource dataSource() {
        return dataSource(DATABASE);
    }

    public DataSource dataSource(String database) {
        return dataSource(port, database, password);
    }

    /** Whether this process started the server (and so stops it on {@link #close()}). */
    public boolean startedHere() {
        return startedHere != null;
    }

    /** Whether this process adopted a server whose owner had died (and so stops it on {@link #close()}). */
    public boolean adopted() {
        return adopted;
    }

    public Path clusterDirectory() {
        return directory.cluster();
    }

    /**
     * Stops the server if this process started or adopted it; a server another live process
     * owns keeps running.
     */
    @Override
    public void close() {
        if (adopted) {
            stopAdopted();
            return;
        }
        if (startedHere == null) {
            return;
        }
        try {
            startedHere.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL in " + directory.cluster(), e);
        }
    }

    /**
     * No zonky handle to stop it with: SIGTERM to the postmaster (PostgreSQL's smart shutdown:
     * it waits for sessions still open, and the pool is closed by now), then wait for it to exit.
     */
    private void stopAdopted() {
        Path pidFile = directory.cluster().resolve("postmaster.pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return; // stopped already
        }
        ProcessHandle.of(pid).ifPresent(postmaster -> {
            postmaster.destroy();
            try {
                postmaster.onExit().get(ADOPTED_STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                LOG.info("Stopped the embedded PostgreSQL in {}", directory.cluster());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("The embedded PostgreSQL in {} (pid {}) did not stop within {} s", directory.cluster(), pid,
                        ADOPTED_STOP_SECONDS);
            }
        });
    }
}
