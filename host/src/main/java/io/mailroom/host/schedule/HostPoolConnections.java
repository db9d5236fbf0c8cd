package io.mailroom.host.schedule;

import org.quartz.utils.ConnectionProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Quartz's connections from the host's own pool, so the job store shares Mailroom's database and
 * its limits. The pool belongs to the host: Quartz's shutdown must not close it.
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
