package io.mailroom.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginMigrationTest {

    private static final String DEMO_MIGRATION = "CREATE TABLE demo_note (id bigserial PRIMARY KEY, text text);";

    private static Database database;

    @BeforeAll
    static void openFreshDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void plugin_migrations_run_with_their_own_history_table(@TempDir Path pluginDir) throws IOException {
        write(pluginDir.resolve("db/plugins/demo-plugin/V1__demo.sql"), DEMO_MIGRATION);

        try (URLClassLoader plugin = loaderOver(pluginDir)) {
            database.migratePlugin("demo-plugin", plugin);
        }

        assertThat(tables()).contains("demo_note", "flyway_history_demo_plugin");
        List<String> hostScripts = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT script FROM flyway_schema_history").mapTo(String.class).list());
        assertThat(hostScripts).as("the host's history knows nothing of the plugin").noneMatch(s -> s.contains("demo"));
    }

    @Test
    void running_plugin_migrations_twice_is_a_no_op(@TempDir Path pluginDir) throws IOException {
        write(pluginDir.resolve("db/plugins/twice/V1__twice.sql"), "CREATE TABLE twice_note (id int);");

        try (URLClassLoader plugin = loaderOver(pluginDir)) {
            database.migratePlugin("twice", plugin);
            List<String> historyAfterFirstRun = history("flyway_history_twice");
            database.migratePlugin("twice", plugin);

            assertThat(history("flyway_history_twice")).isEqualTo(historyAfterFirstRun).contains("1:true");
        }
    }

    @Test
    void plugin_migrations_are_found_in_a_jar_without_directory_entries(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("jarred-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("db/plugins/jarred/V1__jarred.sql"));
            out.write("CREATE TABLE jarred_note (id int);".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }

        try (URLClassLoader plugin = loaderOver(jar)) {
            database.migratePlugin("jarred", plugin);
        }

        assertThat(tables()).contains("jarred_note", "flyway_history_jarred");
    }

    @Test
    void a_plugin_without_migrations_leaves_no_trace(@TempDir Path pluginDir) throws IOException {
        try (URLClassLoader plugin = loaderOver(pluginDir)) {
            database.migratePlugin("quiet-plugin", plugin);
        }

        assertThat(tables()).doesNotContain("flyway_history_quiet_plugin");
    }

    @Test
    void history_tables_are_named_by_plain_identifiers() {
        assertThat(PluginMigrations.historyTable("demo-plugin")).isEqualTo("flyway_history_demo_plugin");
        assertThat(PluginMigrations.historyTable("Acme.Mail")).isEqualTo("flyway_history_acme_mail");
        assertThatThrownBy(() -> PluginMigrations.historyTable("../host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PluginMigrations.historyTable("x".repeat(49)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static URLClassLoader loaderOver(Path path) throws IOException {
        return new URLClassLoader(new URL[] {path.toUri().toURL()}, PluginMigrationTest.class.getClassLoader());
    }

    private static void write(Path file, String sql) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(sql.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> tables() {
        return database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .mapTo(String.class).list());
    }

    private static List<String> history(String table) {
        return database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT coalesce(version, '-') || ':' || success FROM " + table + " ORDER BY installed_rank")
                .mapTo(String.class).list());
    }
}
