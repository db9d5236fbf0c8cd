package io.mailroom.host.pipeline;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The one-syncer-per-mailbox rule, held in PostgreSQL: a session advisory lock on a connection
 * kept for the whole run. Whoever starts a sync (API, CLI, scheduler, another node) takes it;
 * if its process dies, the session ends and PostgreSQL releases the lock.
 */
final class SyncLock implements AutoCloseable {

    /** The first key of Mailroom's advisory locks ('MR'), so they do not collide with others'. */
    private static final int NAMESPACE = 0x4d52;

    private final Connection connection;
    private final long mailboxId;

    private SyncLock(Connection connection, long mailboxId) {
        this.connection = connection;
        this.mailboxId = mailboxId;
    }

    /** The lock, or empty when another run holds it. */
    static Optional<SyncLock> tryAcquire(DataSource dataSource, long mailboxId) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                statement.setInt(1, NAMESPACE);
                statement.setInt(2, Math.toIntExact(mailboxId));
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        return Optional.of(new SyncLock(connection, mailboxId));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot take the sync lock of mailbox " + mailboxId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, Math.toIntExact(mailboxId));
            statement.execute();
        } catch (SQLException ignored) {
            // The connection is gone, and with it the session's lock.
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
