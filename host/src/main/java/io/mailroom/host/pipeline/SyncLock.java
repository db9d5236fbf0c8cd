package io.mailroom.host.pipeline;

import io.mailroom.host.store.SessionLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * The one-syncer-per-mailbox rule: a {@link SessionLock} on the mailbox, kept for the whole run.
 * Whoever starts a sync (API, CLI, scheduler, another node) takes it.
 *
 * <p>A restart of PostgreSQL, or a dropped connection, ends the lock while the run goes on with
 * new connections, and another run may then take the mailbox. Each write of the run therefore
 * {@linkplain #confirm confirms} in its own transaction that the lock still holds; when it does
 * not, the write is rolled back and the run stops.
 */
final class SyncLock implements AutoCloseable {

    /** The namespace of Mailroom's sync locks ('MR'); the key is the mailbox's id. */
    private static final int NAMESPACE = 0x4d52;

    private final SessionLock lock;
    private final long mailboxId;

    private SyncLock(SessionLock lock, long mailboxId) {
        this.lock = lock;
        this.mailboxId = mailboxId;
    }

    /** The lock, or empty when another run holds it. */
    static Optional<SyncLock> tryAcquire(Jdbi jdbi, long mailboxId) {
        return SessionLock.tryTake(jdbi, NAMESPACE, Math.toIntExact(mailboxId), "the sync lock of mailbox " + mailboxId)
                .map(lock -> new SyncLock(lock, mailboxId));
    }

    /** The lock, or an exception when another run holds it: for work outside a run that must not go beside one. */
    static SyncLock acquire(Jdbi jdbi, long mailboxId) {
        return tryAcquire(jdbi, mailboxId).orElseThrow(() -> new IllegalStateException("mailbox " + mailboxId
                + " is syncing"));
    }

    /**
     * Throws {@link SyncLockLost} unless the lock still holds, as seen by {@code handle}'s
     * transaction: a write that confirms last commits only while no other run can have taken the
     * mailbox (or, should the lock be lost in the instant between, a duplicate is told apart by
     * the message's unique key, see {@link BatchCommit}).
     */
    void confirm(Handle handle) {
        if (!lock.stillHeld(handle)) {
            throw new SyncLockLost(mailboxId);
        }
    }

    @Override
    public void close() {
        lock.close();
    }

    /** The run's lock is gone (its session ended): the run stops so that it never writes beside another. */
    static final class SyncLockLost extends IllegalStateException {
        SyncLockLost(long mailboxId) {
            super("the database failed: the connection holding the sync lock of mailbox " + mailboxId
                    + " was lost (did the database restart?), so this run stopped; the next run goes on");
        }
    }
}
