package io.mailroom.host.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Creates a database on a server Mailroom owns (the embedded one, or the tests' one). PostgreSQL
 * has no {@code CREATE DATABASE IF NOT EXISTS}, and two processes may race to create it.
 */
record DatabaseCreation(DataSource maintenanceDatabase) {

    /** Database names are spliced into SQL, so only plain identifiers are accepted. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** duplicate_database, and the unique_violation a concurrent CREATE DATABASE can raise instead. */
    private static final Set<String> ALREADY_EXISTS = Set.of("42P04", "23505");

    void createIfMissing(String name) {
        if (!PLAIN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = maintenanceDatabase.getConnection()) {
            if (exists(connection, name)) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                if (!ALREADY_EXISTS.contains(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }
}
