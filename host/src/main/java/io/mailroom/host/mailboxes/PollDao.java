package io.mailroom.host.mailboxes;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** The poll log: one row per sync run. */
public interface PollDao {

    @SqlUpdate("INSERT INTO polls (mailbox_id) VALUES (:mailboxId)")
    @GetGeneratedKeys("id")
    long start(@Bind("mailboxId") long mailboxId);

    @SqlUpdate("UPDATE polls SET found = found + :found, stored = stored + :stored, skipped = skipped + :skipped, "
            + "quarantined = quarantined + :quarantined WHERE id = :id")
    void count(@Bind("id") long id, @Bind("found") int found, @Bind("stored") int stored,
               @Bind("skipped") int skipped, @Bind("quarantined") int quarantined);

    /** How many messages the run means to read, as far as it knows now. */
    @SqlUpdate("UPDATE polls SET total = :total WHERE id = :id")
    void total(@Bind("id") long id, @Bind("total") long total);

    /** The run stopped after its time slice with mail left: the next run goes on at once. */
    @SqlUpdate("UPDATE polls SET continues = true WHERE id = :id")
    void continues(@Bind("id") long id);

    /** The mailbox's running poll, if a run is going. */
    @SqlQuery("SELECT * FROM polls WHERE mailbox_id = :mailboxId AND status = 'running' ORDER BY id DESC LIMIT 1")
    Optional<Poll> running(@Bind("mailboxId") long mailboxId);

    @SqlUpdate("UPDATE polls SET events = events || CAST(:event AS TEXT) WHERE id = :id")
    void addEvent(@Bind("id") long id, @Bind("event") String event);

    @SqlUpdate("UPDATE polls SET finished_at = now(), status = :status, error = :error WHERE id = :id")
    void finish(@Bind("id") long id, @Bind("status") String status, @Bind("error") String error);

    @SqlQuery("SELECT * FROM polls WHERE id = :id")
    Optional<Poll> find(@Bind("id") long id);

    @SqlQuery("SELECT * FROM polls WHERE mailbox_id = :mailboxId AND (:before = 0 OR id < :before) "
            + "ORDER BY id DESC LIMIT :limit")
    List<Poll> newestFirst(@Bind("mailboxId") long mailboxId, @Bind("before") long beforeId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM polls WHERE mailbox_id = :mailboxId")
    long count(@Bind("mailboxId") long mailboxId);

    /** Polls left running by a process that died: they did not finish. */
    @SqlUpdate("UPDATE polls SET finished_at = now(), status = 'failed', error = 'interrupted: the process stopped' "
            + "WHERE mailbox_id = :mailboxId AND status = 'running'")
    void failInterrupted(@Bind("mailboxId") long mailboxId);

    /** Queues a sync of the mailbox: the new poll's id, or empty when one is queued already. */
    @SqlQuery("INSERT INTO polls (mailbox_id, status) VALUES (:mailboxId, 'queued') ON CONFLICT DO NOTHING RETURNING id")
    Optional<Long> queue(@Bind("mailboxId") long mailboxId);

    @SqlQuery("SELECT id FROM polls WHERE mailbox_id = :mailboxId AND status = 'queued'")
    Optional<Long> queued(@Bind("mailboxId") long mailboxId);

    /** A queued poll's run begins: it is running from now; 0 when it is no longer queued. */
    @SqlUpdate("UPDATE polls SET status = 'running', started_at = now() WHERE id = :id AND status = 'queued'")
    int begin(@Bind("id") long id);

    /** A queued poll that will not run, with why. */
    @SqlUpdate("UPDATE polls SET status = 'failed', finished_at = now(), error = :error WHERE id = :id AND status = 'queued'")
    int dropQueued(@Bind("id") long id, @Bind("error") String error);

    /** The mailbox's queued poll, if any, will not run: its job is gone. */
    @SqlUpdate("UPDATE polls SET status = 'failed', finished_at = now(), error = :error "
            + "WHERE mailbox_id = :mailboxId AND status = 'queued'")
    int dropQueuedOf(@Bind("mailboxId") long mailboxId, @Bind("error") String error);
}
