package io.mailroom.testkit.database;

import io.mailroom.api.PluginSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The database a plugin that owns tables gets from the host, for the plugin's own tests. It does
 * what the host does before a plugin starts: the plugin's schema {@code plugin_<id>} ({@code -}
 * and {@code .} as {@code _}), the plugin's migrations from {@code db/plugins/<plugin id>/} on the
 * class path run into it by Flyway with the history table the host gives it
 * ({@code plugin_<id>.flyway_schema_history}), the schema marked as the plugin's, and connections whose
 * {@code search_path} is that schema, so the plugin's SQL names its tables unqualified.
 *
 * <pre>{@code
 * DataSource database = PluginTestDatabase.migrated("ticketing");
 * FakeContext context = new FakeContext("ticketing").database(database);
 * }</pre>
 *
 * <p>One embedded PostgreSQL (zonky, the server the host embeds; fsync off) per test JVM, started
 * on first use and stopped when the JVM exits (its files deleted after), and a fresh database for
 * each call (a copy of one migrated once per plugin), so tests never see each other's rows and
 * need no cleanup. As root, the test JVM must run in a user namespace (the build's
 * {@code .mvn/unprivileged/bin/java} does so): PostgreSQL refuses to run as root.
 */
public final class PluginTestDatabase {

    private static final AtomicInteger NEXT_DATABASE = new AtomicInteger();
    private static final Map<TemplateKey, String> TEMPLATES = new ConcurrentHashMap<>();
    private static EmbeddedPostgres server;

    private record TemplateKey(String pluginId, ClassLoader loader) {
    }

    private PluginTestDatabase() {
    }

    /** A fresh database with {@code pluginId}'s migrations applied, found with this class's loader. */
    public static DataSource migrated(String pluginId) {
        return migrated(pluginId, Thread.currentThread().getContextClassLoader());
    }

    /** A fresh database with {@code pluginId}'s migrations applied, found with {@code pluginClassLoader}. */
    public static DataSource migrated(String pluginId, ClassLoader pluginClassLoader) {
        String template = TEMPLATES.computeIfAbsent(new TemplateKey(pluginId, pluginClassLoader),
                key -> migratedTemplate(pluginId, pluginClassLoader));
        return dataSource(freshDatabase(template), schemaOf(pluginId));
    }

    /**
     * Migrates a database once per plugin and test JVM; each test's database is a copy of it
     * ({@code CREATE DATABASE … TEMPLATE}), far quicker than running the migrations again.
     */
    private static String migratedTemplate(String pluginId, ClassLoader pluginClassLoader) {
        String schema = schemaOf(pluginId);
        String database = freshDatabase("template0");
        Flyway.configure(pluginClassLoader)
                .dataSource(dataSource(database, null))
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table(PluginSchema.HISTORY_TABLE)
                .locations("classpath:db/plugins/" + pluginId)
                .validateMigrationNaming(true)
                .load()
                .migrate();
        try (Connection connection = dataSource(database, null).getConnection();
             Statement statement = connection.createStatement()) {
            // as the host marks it (PluginDatabases): the id is the caller's own plugin's, never input
            statement.execute("COMMENT ON SCHEMA \"" + schema + "\" IS '" + PluginSchema.ownerMark(pluginId).replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark the schema " + schema, e);
        }
        return database;
    }

    /** The schema the host gives the plugin {@code pluginId} ({@link PluginSchema#nameOf}). */
    public static String schemaOf(String pluginId) {
        return PluginSchema.nameOf(pluginId);
    }

    private static String freshDatabase(String template) {
        String name = "plugin_test_" + NEXT_DATABASE.incrementAndGet();
        try (Connection connection = dataSource("postgres", null).getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database " + name, e);
        }
        return name;
    }

    private static PGSimpleDataSource dataSource(String database, String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {server().getPort()});
        dataSource.setDatabaseName(database);
        dataSource.setUser("postgres");
        if (schema != null) {
            dataSource.setCurrentSchema(schema);
        }
        return dataSource;
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path dataDir = Files.createTempDirectory("mailroom-plugin-test-postgres-");
                EmbeddedPostgres started = EmbeddedPostgres.builder().setDataDirectory(dataDir)
                        .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                        .setServerConfig("listen_addresses", "localhost").start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(started, dataDir),
                        "plugin-test-postgres-cleanup"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /**
     * Deleting a suite's databases inside the JVM held its exit past surefire's 30 s limit (zonky's
     * own hook does that): the server is stopped here and a process of its own deletes the files.
     */
    private static void stopAndDelete(EmbeddedPostgres postgres, Path dataDir) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            // the JVM is exiting; the temp directory is removed below either way
        }
        try {
            new ProcessBuilder("rm", "-rf", dataDir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // best effort: a leftover temp directory is harmless
        }
    }
}
