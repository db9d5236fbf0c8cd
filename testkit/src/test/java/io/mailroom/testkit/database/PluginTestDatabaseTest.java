package io.mailroom.testkit.database;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PluginTestDatabaseTest {

    @Test
    void the_plugins_migrations_run_in_its_own_schema_with_its_own_history() throws SQLException {
        DataSource database = PluginTestDatabase.migrated("demo-plugin");

        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO notes (text, author) VALUES ('hello', 'ann')");
            assertThat(single(statement, "SELECT current_schema()")).isEqualTo("plugin_demo_plugin");
            assertThat(single(statement, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'notes'"))
                    .isEqualTo("plugin_demo_plugin");
            assertThat(single(statement, "SELECT max(version) FROM plugin_demo_plugin.flyway_schema_history"))
                    .as("the host's history table").isEqualTo("2");
            assertThat(single(statement, "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace "
                    + "WHERE nspname = 'plugin_demo_plugin'")).as("marked as the host marks it").isEqualTo("mailroom plugin demo-plugin");
        }
    }

    @Test
    void each_call_gets_a_database_of_its_own() throws SQLException {
        DataSource first = PluginTestDatabase.migrated("demo-plugin");
        DataSource second = PluginTestDatabase.migrated("demo-plugin");

        try (Connection connection = first.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO notes (text) VALUES ('only here')");
        }
        try (Connection connection = second.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM notes")).isEqualTo("0");
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
