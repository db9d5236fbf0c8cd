package io.mailroom.host.pipeline;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The one-syncer-per-mailbox rule, held in PostgreSQL: a session advisory lock on a connection
 * kept for the whole run. Whoever starts a sync (API, CLI, scheduler, another node) takes it;
 * if its process dies, the session ends and PostgreSQL releases the lock.
 *
 * <p>So does a restart of PostgreSQL, or a dropped connection, while the run goes on with new
 * connections: another run may then take the mailbox. Each write of the run therefore
 * {@linkplain #confirm confirms} in its own transaction that the session that took the lock still
 * holds it (the same backend, by process id and start time); when it does not, the write is
 * rolled back and the run stops.
 */
final class SyncLock implements AutoCloseable {

    /** The first key of Mailroom's advisory locks ('MR'), so they do not collide with others'. */
    private static final int NAMESPACE = 0x4d52;

    private final Handle session;
    private final long mailboxId;
    private final Holder holder;

    /** The backend that holds the lock: a process id, reused only by a later backend, so with its start. */
    private record Holder(boolean taken, int pid, OffsetDateTime started) {
    }

    private SyncLock(Handle session, long mailboxId, Holder holder) {
        this.session = session;
        this.mailboxId = mailboxId;
        this.holder = holder;
    }

    /** The lock, or empty when another run holds it. */
    static Optional<SyncLock> tryAcquire(Jdbi jdbi, long mailboxId) {
        Handle session = null;
        try {
            session = jdbi.open();
            Holder holder = session.createQuery("SELECT pg_try_advisory_lock(:namespace, :key) AS taken, "
                            + "pg_backend_pid() AS pid, "
                            + "(SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()) AS started")
                    .bind("namespace", NAMESPACE).bind("key", key(mailboxId))
                    .map((row, context) -> new Holder(row.getBoolean("taken"), row.getInt("pid"),
                            row.getObject("started", OffsetDateTime.class)))
                    .one();
            if (holder.taken()) {
                return Optional.of(new SyncLock(session, mailboxId, holder));
            }
            session.close();
            return Optional.empty();
        } catch (JdbiException e) {
            closeQuietly(session);
            throw new IllegalStateException("cannot take the sync lock of mailbox " + mailboxId + ": " + e.getMessage(), e);
        }
    }

    /** The lock, or an exception when another run holds it: for work outside a run that must not go beside one. */
    static SyncLock acquire(Jdbi jdbi, long mailboxId) {
        return tryAcquire(jdbi, mailboxId).orElseThrow(() -> new IllegalStateException("mailbox " + mailboxId
                + " is syncing"));
    }

    /**
     * Throws {@link SyncLockLost} unless the session that took the lock still holds it, as seen
     * by {@code handle}'s transaction: a write that confirms last commits only while no other run
     * can have taken the mailbox (or, should the lock be lost in the instant between, a duplicate
     * is told apart by the message's unique key, see {@link BatchCommit}).
     */
    void confirm(Handle handle) {
        boolean held = handle.createQuery("SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        + "WHERE l.locktype = 'advisory' AND l.classid = CAST(:namespace AS oid) "
                        + "AND l.objid = CAST(:key AS oid) AND l.objsubid = 2 AND l.granted "
                        + "AND l.pid = :pid AND a.backend_start = :started)")
                .bind("namespace", NAMESPACE).bind("key", key(mailboxId))
                .bind("pid", holder.pid()).bind("started", holder.started())
                .mapTo(Boolean.class).one();
        if (!held) {
            throw new SyncLockLost(mailboxId);
        }
    }

    @Override
    public void close() {
        try {
            session.createQuery("SELECT pg_advisory_unlock(:namespace, :key)")
                    .bind("namespace", NAMESPACE).bind("key", key(mailboxId)).mapTo(Boolean.class).one();
        } catch (JdbiException ignored) {
            // The connection is gone, and with it the session's lock.
        } finally {
            closeQuietly(session);
        }
    }

    private static int key(long mailboxId) {
        return Math.toIntExact(mailboxId);
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

    /** The run's lock is gone (its session ended): the run stops so that it never writes beside another. */
    static final class SyncLockLost extends IllegalStateException {
        SyncLockLost(long mailboxId) {
            super("the database failed: the connection holding the sync lock of mailbox " + mailboxId
                    + " was lost (did the database restart?), so this run stopped; the next run goes on");
        }
    }
}
