package io.mailroom.host.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mailroom.host.config.MailroomConfig;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Mailroom's one PostgreSQL database: a connection pool, the host's schema brought up to date,
 * and a {@link Jdbi} for the DAOs. Without a configured URL it runs the
 * {@linkplain EmbeddedPostgresServer embedded server}.
 *
 * <p>DAOs are SqlObject interfaces that return records: every record maps by its canonical
 * constructor with no annotation (see {@link RecordRowMapperFactory}); {@code
 * @RegisterConstructorMapper} is needed only for a class that is not a record.
 */
public final class Database implements AutoCloseable {

    /**
     * Enough for the API, Quartz's own threads and the scheduler's four syncs (each holds one
     * connection for its lock and takes another per step); PostgreSQL prefers few connections.
     */
    private static final int POOL_SIZE = 16;
    /** How long /health waits for an answer before it calls the database down. */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** A plugin's own pool: its routes and sinks, a few at a time. */
    private static final int PLUGIN_POOL_SIZE = 4;
    /** Quartz's job store: its scheduler, cluster and misfire threads, its four workers' completions, job changes. */
    private static final int SCHEDULER_POOL_SIZE = 8;
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgresServer embedded;
    private final HikariDataSource pool;
    private HikariDataSource schedulerPool;
    private final Jdbi jdbi;
    private final ExecutorService healthProbes = Executors.newVirtualThreadPerTaskExecutor();

    private Database(EmbeddedPostgresServer embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool)
                .installPlugin(new SqlObjectPlugin())
                .registerRowMapper(new RecordRowMapperFactory())
                // String arrays bind as text[], the type of every array column, so operators like && apply.
                .registerArrayType(String.class, "text");
    }

    /**
     * Connects to {@code mailroom.db.url}, or starts the embedded server when there is none, and
     * migrates the host's schema ({@code classpath:db/migration}).
     */
    public static Database open(MailroomConfig config) {
        EmbeddedPostgresServer embedded = config.dbUrl().isPresent() ? null : EmbeddedPostgresServer.start(config.dataDir());
        HikariDataSource pool = null;
        try {
            pool = embedded == null ? pool(config.dbUrl().orElseThrow(), config.dbUser(), config.dbPassword())
                    : pool(embedded.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER, embedded.password());
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            return new Database(embedded, pool);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("mailroom");
        hikari.setJdbcUrl(url);
        if (!user.isBlank()) {
            hikari.setUsername(user);
        }
        if (!password.isEmpty()) {
            hikari.setPassword(password);
        }
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(2);
        // A caller that cannot get a connection within 5 s is better told the database is down.
        hikari.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        return new HikariDataSource(hikari);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A small pool of its own for one plugin: the host's server and credentials, every connection
     * with {@code search_path} set to {@code schema} alone when it is opened. A pool of its own, not
     * the host's pool with the path switched on checkout, so nothing a plugin does to a
     * connection's session (its own {@code SET}, a connection given back mid-transaction) can
     * reach a connection the host uses. At most {@value #PLUGIN_POOL_SIZE} connections, none kept
     * idle for long. The caller closes it.
     *
     * @param schema a plain lower-case identifier ({@code plugin_ticketing}); quoted here
     */
    public HikariDataSource schemaPool(String poolName, String schema) {
        if (!PLAIN_IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        HikariConfig hikari = new HikariConfig();
        pool.copyStateTo(hikari);
        hikari.setPoolName(poolName);
        hikari.setMaximumPoolSize(PLUGIN_POOL_SIZE);
        hikari.setMinimumIdle(0);
        hikari.setIdleTimeout(Duration.ofMinutes(1).toMillis());
        hikari.setConnectionInitSql("SET search_path TO \"" + schema + "\"");
        return new HikariDataSource(hikari);
    }

    /**
     * Whether the database answers {@code SELECT 1} within two seconds. Never throws and never
     * waits longer: the pool itself would wait its whole connection timeout for a dead server.
     */
    public boolean isUp() {
        try {
            Future<Boolean> probe = healthProbes.submit(this::answersSelectOne);
            try {
                return probe.get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                probe.cancel(true);
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RuntimeException e) {
            return false;
        }
    }

    private boolean answersSelectOne() throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) HEALTH_TIMEOUT.toSeconds());
            return statement.execute("SELECT 1");
        }
    }

    /**
     * The pool of the sync scheduler's job store (Quartz), apart from the host's: a request
     * changes a mailbox's job while it holds a host connection for the mailbox's row, so with one
     * pool, sixteen such requests at once would each wait for a second connection that none gives
     * back (found by the load benchmark; {@code SchedulerPoolTest}). Made once, closed with this.
     */
    public synchronized DataSource schedulerPool() {
        if (schedulerPool == null) {
            HikariConfig hikari = new HikariConfig();
            pool.copyStateTo(hikari);
            hikari.setPoolName("mailroom-scheduler");
            hikari.setMaximumPoolSize(SCHEDULER_POOL_SIZE);
            hikari.setMinimumIdle(1);
            schedulerPool = new HikariDataSource(hikari);
        }
        return schedulerPool;
    }

    /** Closes the pools, then stops the embedded server if this process started it. */
    @Override
    public void close() {
        healthProbes.shutdownNow();
        try {
            synchronized (this) {
                if (schedulerPool != null) {
                    schedulerPool.close();
                }
            }
            pool.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
