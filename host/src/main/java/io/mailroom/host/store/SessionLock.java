package io.mailroom.host.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * A PostgreSQL session advisory lock on a connection of its own, held until closed: one holder in
 * the whole cluster. If the holder's process dies, its session ends and PostgreSQL releases the
 * lock; so does a restart of PostgreSQL, or a dropped connection, while the holder goes on with
 * other connections. A holder whose writes must not outlive the lock {@linkplain #stillHeld checks}
 * it in their transaction.
 *
 * <p>Keys are two integers: a namespace of Mailroom's (so they do not collide with others') and a
 * key within it.
 */
public final class SessionLock implements AutoCloseable {

    private final Handle session;
    private final int namespace;
    private final int key;
    private final Holder holder;

    /** The backend that holds the lock: a process id, reused only by a later backend, so with its start. */
    private record Holder(boolean taken, int pid, OffsetDateTime started) {
    }

    private SessionLock(Handle session, int namespace, int key, Holder holder) {
        this.session = session;
        this.namespace = namespace;
        this.key = key;
        this.holder = holder;
    }

    /** The lock, or empty when another session holds it; {@code what} names it in an error. */
    public static Optional<SessionLock> tryTake(Jdbi jdbi, int namespace, int key, String what) {
        Handle session = null;
        try {
            session = jdbi.open();
            Holder holder = session.createQuery("SELECT pg_try_advisory_lock(:namespace, :key) AS taken, "
                            + "pg_backend_pid() AS pid, "
                            + "(SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()) AS started")
                    .bind("namespace", namespace).bind("key", key)
                    .map((row, context) -> new Holder(row.getBoolean("taken"), row.getInt("pid"),
                            row.getObject("started", OffsetDateTime.class)))
                    .one();
            if (holder.taken()) {
                return Optional.of(new SessionLock(session, namespace, key, holder));
            }
            session.close();
            return Optional.empty();
        } catch (JdbiException e) {
            closeQuietly(session);
            throw new IllegalStateException("cannot take " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the session that took the lock still holds it, as seen by {@code handle}'s
     * transaction: checked last, a write commits only while no one else can have taken the lock.
     */
    public boolean stillHeld(Handle handle) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        + "WHERE l.locktype = 'advisory' AND l.classid = CAST(:namespace AS oid) "
                        + "AND l.objid = CAST(:key AS oid) AND l.objsubid = 2 AND l.granted "
                        + "AND l.pid = :pid AND a.backend_start = :started)")
                .bind("namespace", namespace).bind("key", key)
                .bind("pid", holder.pid()).bind("started", holder.started())
                .mapTo(Boolean.class).one();
    }

    @Override
    public void close() {
        try {
            session.createQuery("SELECT pg_advisory_unlock(:namespace, :key)")
                    .bind("namespace", namespace).bind("key", key).mapTo(Boolean.class).one();
        } catch (JdbiException ignored) {
            // The connection is gone, and with it the session's lock.
        } finally {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(Handle session) {
        if (session != null) {
            try {
                session.close();
            } catch (JdbiException ignored) {
                // nothing more to release
            }
        }
    }
}
