package io.mailroom.host.schedule;

import org.quartz.utils.ConnectionProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Quartz's connections from a pool the host made for it ({@code Database.schedulerPool}), on
 * Mailroom's database. The pool belongs to the host: Quartz's shutdown must not close it.
 */
final class HostPoolConnections implements ConnectionProvider {

    private final DataSource pool;

    HostPoolConnections(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void initialize() {
        // The pool is open already.
    }

    @Override
    public void shutdown() {
        // Closed by the Database that owns it, after the scheduler.
    }
}
