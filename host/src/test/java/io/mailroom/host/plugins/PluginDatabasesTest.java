package io.mailroom.host.plugins;

import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginRuntimeException;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A plugin's own schema: made and migrated from its class loader, and the only one its connections see. */
class PluginDatabasesTest {

    private static Database database;
    private static PluginDatabases databases;

    @BeforeAll
    static void openFreshDatabase() {
        database = TestDatabase.create();
        databases = new PluginDatabases(database::schemaPool);
    }

    @AfterAll
    static void closeDatabase() {
        databases.close();
        database.close();
    }

    @Test
    void migrations_run_in_the_plugins_own_schema_with_its_own_history(@TempDir Path dir) throws Exception {
        write(dir.resolve("db/plugins/demo-plugin/V1__demo.sql"), "CREATE TABLE demo_note (id bigserial PRIMARY KEY, text text);");

        try (URLClassLoader plugin = loaderOver(dir)) {
            databases.prepare("demo-plugin", plugin);
        }

        assertThat(tables("plugin_demo_plugin")).containsExactlyInAnyOrder("demo_note", "flyway_schema_history");
        assertThat(tables("public")).doesNotContain("demo_note");
        assertThat(query(database.dataSource(), "SELECT count(*) FROM flyway_schema_history WHERE script LIKE '%demo%'"))
                .as("the host's history knows nothing of the plugin").containsExactly("0");
        DataSource own = databases.database("demo-plugin").orElseThrow();
        assertThat(query(own, "SHOW search_path")).containsExactly("plugin_demo_plugin");
        try (Connection connection = own.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO demo_note (text) VALUES ('unqualified')");
        }
        assertThat(query(database.dataSource(), "SELECT text FROM plugin_demo_plugin.demo_note")).containsExactly("unqualified");
        assertThat(query(database.dataSource(), "SHOW search_path")).as("the host's connections are untouched")
                .doesNotContain("plugin_demo_plugin");
    }

    @Test
    void many_threads_use_the_plugins_database_at_once_and_each_sees_its_schema(@TempDir Path dir) throws Exception {
        write(dir.resolve("db/plugins/busy/V1__busy.sql"), "CREATE TABLE hits (n int);");
        try (URLClassLoader plugin = loaderOver(dir)) {
            databases.prepare("busy", plugin);
        }
        DataSource own = databases.database("busy").orElseThrow();

        try (ExecutorService threads = Executors.newFixedThreadPool(12)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    try (Connection connection = own.getConnection(); Statement statement = connection.createStatement()) {
                        statement.execute("INSERT INTO hits VALUES (" + n + ")");
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        }

        assertThat(query(own, "SELECT count(*) FROM hits")).containsExactly("120");
    }

    @Test
    void preparing_again_applies_nothing_more(@TempDir Path dir) throws Exception {
        write(dir.resolve("db/plugins/twice/V1__twice.sql"), "CREATE TABLE twice_note (id int);");

        try (URLClassLoader plugin = loaderOver(dir)) {
            databases.prepare("twice", plugin);
            try (PluginDatabases afterRestart = new PluginDatabases(database::schemaPool)) {
                afterRestart.prepare("twice", plugin);
            }
        }

        assertThat(query(database.dataSource(), "SELECT version || ':' || success FROM plugin_twice.flyway_schema_history "
                + "WHERE version IS NOT NULL")).containsExactly("1:true");
    }

    @Test
    void migrations_are_found_in_a_jar_without_directory_entries(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("jarred-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("db/plugins/jarred/V1__jarred.sql"));
            out.write("CREATE TABLE jarred_note (id int);".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }

        try (URLClassLoader plugin = loaderOver(jar)) {
            databases.prepare("jarred", plugin);
        }

        assertThat(tables("plugin_jarred")).contains("jarred_note");
    }

    @Test
    void a_plugin_without_migrations_gets_no_schema_and_no_database(@TempDir Path dir) throws Exception {
        try (URLClassLoader plugin = loaderOver(dir)) {
            databases.prepare("quiet-plugin", plugin);
        }

        assertThat(query(database.dataSource(), "SELECT count(*) FROM pg_namespace WHERE nspname = 'plugin_quiet_plugin'"))
                .containsExactly("0");
        assertThat(databases.database("quiet-plugin")).isEmpty();
    }

    @Test
    void a_failing_migration_is_a_reason_not_a_crash(@TempDir Path dir) throws Exception {
        write(dir.resolve("db/plugins/broken/V1__broken.sql"), "CREATE TABLEE nonsense (id int);");

        try (URLClassLoader plugin = loaderOver(dir)) {
            assertThatThrownBy(() -> databases.prepare("broken", plugin))
                    .isInstanceOf(PluginRuntimeException.class)
                    .hasMessageContaining("its database migrations failed");
        }
        assertThat(databases.database("broken")).isEmpty();
    }

    @Test
    void two_plugins_whose_ids_map_to_one_schema_do_not_share_it(@TempDir Path dir) throws Exception {
        write(dir.resolve("first/db/plugins/a-b/V1__a.sql"), "CREATE TABLE a_note (id int);");
        write(dir.resolve("second/db/plugins/a_b/V1__b.sql"), "CREATE TABLE b_note (id int);");

        try (URLClassLoader first = loaderOver(dir.resolve("first")); URLClassLoader second = loaderOver(dir.resolve("second"))) {
            databases.prepare("a-b", first);
            assertThatThrownBy(() -> databases.prepare("a_b", second))
                    .isInstanceOf(PluginRuntimeException.class)
                    .hasMessageContaining("already belongs to another plugin (mailroom plugin a-b)");
        }
        assertThat(tables("plugin_a_b")).doesNotContain("b_note");
    }

    @Test
    void an_id_that_cannot_name_a_schema_cannot_own_tables(@TempDir Path dir) throws Exception {
        write(dir.resolve("db/plugins/Acme.Mail/V1__acme.sql"), "CREATE TABLE acme (id int);");

        try (URLClassLoader plugin = loaderOver(dir)) {
            assertThatThrownBy(() -> databases.prepare("Acme.Mail", plugin))
                    .isInstanceOf(PluginRuntimeException.class)
                    .hasMessageContaining("needs an id of at most 56 characters a-z, 0-9, '_' or '-'");
        }
    }

    @Test
    void schema_names_are_plain_identifiers() {
        assertThat(PluginDatabases.schemaName("ticketing")).isEqualTo("plugin_ticketing");
        assertThat(PluginDatabases.schemaName("demo-plugin")).isEqualTo("plugin_demo_plugin");
    }

    private static URLClassLoader loaderOver(Path path) throws IOException {
        return new URLClassLoader(new URL[] {path.toUri().toURL()}, PluginDatabasesTest.class.getClassLoader());
    }

    private static void write(Path file, String sql) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql);
    }

    private static List<String> tables(String schema) throws SQLException {
        return query(database.dataSource(), "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'");
    }

    private static List<String> query(DataSource source, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
