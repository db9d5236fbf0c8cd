package io.mailroom.host.store;

import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the migrations a plugin ships under {@code db/plugins/<plugin-id>/}. Each plugin has its
 * own history table, {@code flyway_history_<plugin_id>}, so plugins version their tables
 * independently of the host and of each other, and adding or removing a plugin never upsets the
 * host's history.
 */
record PluginMigrations(DataSource dataSource) {

    private static final Logger LOG = LoggerFactory.getLogger(PluginMigrations.class);
    private static final String HISTORY_PREFIX = "flyway_history_";
    /** PostgreSQL silently truncates identifiers to 63 bytes; two long ids could then share a table. */
    private static final int MAX_ID_LENGTH = 63 - HISTORY_PREFIX.length();
    /** The id names a class path folder, so nothing that could climb out of db/plugins/. */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern NOT_IDENTIFIER = Pattern.compile("[^a-z0-9_]");

    /**
     * Scans {@code pluginClassLoader}, not the host's, so the plugin's files are found wherever
     * PF4J loaded the plugin from. Does nothing, and creates no table, when the plugin has none.
     */
    void migrate(String pluginId, ClassLoader pluginClassLoader) {
        String historyTable = historyTable(pluginId);
        Flyway flyway = Flyway.configure(pluginClassLoader)
                .dataSource(dataSource)
                .locations("classpath:db/plugins/" + pluginId)
                .table(historyTable)
                // The schema already holds the host's tables: without a baseline Flyway refuses a
                // non-empty schema that lacks this history table. Version 0 keeps the plugin's V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .validateMigrationNaming(true)
                .load();
        if (flyway.info().all().length == 0) {
            return;
        }
        int applied = flyway.migrate().migrationsExecuted;
        if (applied > 0) {
            LOG.info("Applied {} migration(s) of plugin {}", applied, pluginId);
        }
    }

    /** {@code flyway_history_} and the id with anything but letters, digits and _ turned into _. */
    static String historyTable(String pluginId) {
        if (pluginId == null || !VALID_ID.matcher(pluginId).matches()) {
            throw new IllegalArgumentException("plugin id must be letters, digits, '.', '-' or '_': " + pluginId);
        }
        if (pluginId.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("plugin id longer than " + MAX_ID_LENGTH
                    + " characters cannot own tables: " + pluginId);
        }
        return HISTORY_PREFIX + NOT_IDENTIFIER.matcher(pluginId.toLowerCase(Locale.ROOT)).replaceAll("_");
    }
}
