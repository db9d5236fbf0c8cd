package io.mailroom.host.plugins;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.pf4j.PluginRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The databases of the plugins that own tables. A plugin that ships Flyway migrations under
 * {@code db/plugins/<plugin id>/} gets a schema of its own, {@code plugin_<id>} with {@code -}
 * turned into {@code _} ({@code plugin_ticketing}), migrated with its own history table
 * ({@code flyway_schema_history} in that schema), with its class loader, when it starts: before
 * its {@code start()} and before any of its extensions is made. Its
 * {@link io.mailroom.api.ExtensionContext#database()} is then a small pool of its own whose
 * connections have {@code search_path} set to that schema alone (see
 * {@code Database.schemaPool}: a pool per plugin, so a plugin's session state never reaches the
 * host's connections).
 *
 * <p>A schema is marked with a comment naming its plugin, so two plugins whose ids map to one
 * name ({@code a-b}, {@code a_b}) never share tables: the second is refused. Migrations run once
 * per process and plugin; a plugin enabled again later reuses its pool.
 */
public final class PluginDatabases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginDatabases.class);

    /** Opens a pool whose connections see {@code schema} alone. */
    @FunctionalInterface
    public interface SchemaPools {
        HikariDataSource open(String poolName, String schema);
    }

    /** For a host without a database (the {@code plugins} command): no plugin gets one. */
    public static final PluginDatabases NONE = new PluginDatabases(null);

    static final String SCHEMA_PREFIX = "plugin_";
    /** The ids that may own tables: their schema name is a plain identifier of at most 63 bytes. */
    private static final Pattern TABLE_OWNER_ID = Pattern.compile("[a-z0-9_-]{1,56}");
    /** Ids that name a class path folder without climbing out of {@code db/plugins/}. */
    private static final Pattern FOLDER_SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final SchemaPools pools;
    private final Map<String, HikariDataSource> byPlugin = new ConcurrentHashMap<>();

    public PluginDatabases(SchemaPools pools) {
        this.pools = pools;
    }

    /** The plugin's schema: {@link io.mailroom.api.PluginSchema#nameOf}, shared with the testkit. */
    public static String schemaName(String pluginId) {
        return io.mailroom.api.PluginSchema.nameOf(pluginId);
    }

    /**
     * Creates and migrates the plugin's schema when it ships migrations; does nothing, and
     * creates nothing, when it ships none.
     *
     * @throws PluginRuntimeException naming why the plugin cannot start: a migration failed, its id
     *                                cannot name a schema, or its schema belongs to another plugin
     */
    void prepare(String pluginId, ClassLoader pluginClassLoader) {
        if (pools == null || byPlugin.containsKey(pluginId) || !FOLDER_SAFE_ID.matcher(pluginId).matches()) {
            return;
        }
        String schema = schemaName(pluginId);
        HikariDataSource pool = pools.open("plugin-" + pluginId, schema);
        boolean kept = false;
        try {
            Flyway flyway = Flyway.configure(pluginClassLoader)
                    .dataSource(pool)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .table(io.mailroom.api.PluginSchema.HISTORY_TABLE)
                    .locations("classpath:db/plugins/" + pluginId)
                    .validateMigrationNaming(true)
                    .load();
            if (flyway.info().all().length == 0) {
                return;
            }
            if (!TABLE_OWNER_ID.matcher(pluginId).matches()) {
                throw new PluginRuntimeException("it ships migrations, but a plugin that owns tables needs an id of"
                        + " at most 56 characters a-z, 0-9, '_' or '-'");
            }
            requireOwnSchema(pool, schema, pluginId);
            int applied = flyway.migrate().migrationsExecuted;
            markOwner(pool, schema, pluginId);
            if (applied > 0) {
                LOG.info("Applied {} migration(s) of plugin {} in schema {}", applied, pluginId, schema);
            }
            byPlugin.put(pluginId, pool);
            kept = true;
        } catch (FlywayException e) {
            throw new PluginRuntimeException(e, "its database migrations failed");
        } catch (SQLException e) {
            throw new PluginRuntimeException(e, "cannot prepare its schema " + schema);
        } finally {
            if (!kept) {
                pool.close();
            }
        }
    }

    /** The plugin's database, when it ships migrations and they ran. */
    public Optional<DataSource> database(String pluginId) {
        return Optional.ofNullable(byPlugin.get(pluginId));
    }

    private static void requireOwnSchema(DataSource pool, String schema, String pluginId) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet row = query.executeQuery()) {
                String owner = row.next() ? row.getString(1) : null;
                if (owner != null && !owner.equals(ownerMark(pluginId))) {
                    throw new PluginRuntimeException("its schema " + schema + " already belongs to another plugin ("
                            + owner + ")");
                }
            }
        }
    }

    private static void markOwner(DataSource pool, String schema, String pluginId) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            // both are checked plain text ([a-z0-9_-]): COMMENT takes no parameters
            statement.execute("COMMENT ON SCHEMA \"" + schema + "\" IS '" + ownerMark(pluginId) + "'");
        }
    }

    private static String ownerMark(String pluginId) {
        return io.mailroom.api.PluginSchema.ownerMark(pluginId);
    }

    @Override
    public void close() {
        byPlugin.values().forEach(HikariDataSource::close);
        byPlugin.clear();
    }
}
