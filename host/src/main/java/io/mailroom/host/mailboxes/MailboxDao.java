package io.mailroom.host.mailboxes;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** Mailboxes. Reads take the caller's user id, or null for a superadmin, who sees all. */
public interface MailboxDao {

    String COLUMNS = "id, owner_user_id, name, email, source, auth, settings::text AS settings, folders, "
            + "first_sync_days, max_messages_per_poll, unread_only, mark_as_read, move_processed_to, enabled, "
            + "status, last_error, last_sync_at, last_success_at, consecutive_failures, schedule, priority, push";
    String VISIBLE = "(CAST(:viewer AS BIGINT) IS NULL OR owner_user_id = :viewer)";

    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes WHERE id = :id")
    Optional<Mailbox> find(@Bind("id") long id);

    /** The mailbox, its row held until the transaction ends: a change of it waits, and one under way is waited for. */
    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes WHERE id = :id FOR SHARE")
    Optional<Mailbox> findHeld(@Bind("id") long id);

    @SqlQuery("SELECT id FROM mailboxes WHERE owner_user_id = :userId ORDER BY id")
    List<Long> idsOwnedBy(@Bind("userId") long userId);

    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes WHERE id = :id AND " + VISIBLE)
    Optional<Mailbox> findVisible(@Bind("id") long id, @Bind("viewer") Long viewer);

    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes WHERE id > :after AND " + VISIBLE + " ORDER BY id LIMIT :limit")
    List<Mailbox> page(@Bind("viewer") Long viewer, @Bind("after") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM mailboxes WHERE " + VISIBLE)
    long count(@Bind("viewer") Long viewer);

    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes WHERE lower(email) = lower(:email) ORDER BY id")
    List<Mailbox> findByEmail(@Bind("email") String email);

    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes ORDER BY id")
    List<Mailbox> all();

    /** Every mailbox in the order a bulk run takes them: ascending priority (0 before 10), then id. */
    @SqlQuery("SELECT " + COLUMNS + " FROM mailboxes ORDER BY priority, id")
    List<Mailbox> byPriority();

    @SqlUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source, auth, settings, folders, first_sync_days, "
            + "max_messages_per_poll, unread_only, mark_as_read, move_processed_to, enabled, status, schedule, priority, push) "
            + "VALUES (:ownerUserId, :name, :email, :source, :auth, CAST(:settings AS jsonb), :folders, :firstSyncDays, "
            + ":maxMessagesPerPoll, :unreadOnly, :markAsRead, :moveProcessedTo, :enabled, :status, :schedule, :priority, :push)")
    @GetGeneratedKeys("id")
    long insert(@BindMethods Mailbox mailbox);

    @SqlUpdate("UPDATE mailboxes SET owner_user_id = :ownerUserId, name = :name, email = :email, source = :source, "
            + "auth = :auth, settings = CAST(:settings AS jsonb), folders = :folders, first_sync_days = :firstSyncDays, "
            + "max_messages_per_poll = :maxMessagesPerPoll, unread_only = :unreadOnly, mark_as_read = :markAsRead, "
            + "move_processed_to = :moveProcessedTo, enabled = :enabled, schedule = :schedule, priority = :priority, push = :push, "
            + "status = CASE WHEN :enabled THEN (CASE WHEN status = 'disabled' THEN 'active' ELSE status END) "
            + "ELSE 'disabled' END WHERE id = :id")
    int update(@BindMethods Mailbox mailbox);

    @SqlUpdate("UPDATE mailboxes SET settings = CAST(:settings AS jsonb) WHERE id = :id")
    int updateSettings(@Bind("id") long id, @Bind("settings") String settings);

    @SqlUpdate("DELETE FROM mailboxes WHERE id = :id")
    int delete(@Bind("id") long id);

    @SqlUpdate("UPDATE mailboxes SET status = 'syncing', last_sync_at = now() WHERE id = :id")
    void markSyncing(@Bind("id") long id);

    @SqlUpdate("UPDATE mailboxes SET status = CASE WHEN enabled THEN 'active' ELSE 'disabled' END, last_error = NULL, "
            + "last_success_at = now(), consecutive_failures = 0 WHERE id = :id")
    void markSucceeded(@Bind("id") long id);

    /** A run that stopped without failing (a maintenance pause): the status leaves 'syncing'. */
    @SqlUpdate("UPDATE mailboxes SET status = CASE WHEN enabled THEN 'active' ELSE 'disabled' END WHERE id = :id")
    void markIdle(@Bind("id") long id);

    @SqlUpdate("UPDATE mailboxes SET status = :status, last_error = :error, "
            + "consecutive_failures = consecutive_failures + 1 WHERE id = :id")
    void markFailed(@Bind("id") long id, @Bind("status") String status, @Bind("error") String error);

    /**
     * Roughly how many messages wait on the server: over the enabled folders, the server's count
     * at the last listing less the stored count, never below zero per folder; folders never
     * counted add nothing. The stored count is the one triggers keep per folder (V14), so this
     * reads a row per folder, never the messages.
     */
    @SqlQuery("SELECT COALESCE(sum(GREATEST(0, f.messages - COALESCE(c.messages, 0))), 0) FROM mailbox_folders f "
            + "LEFT JOIN folder_message_counts c ON c.mailbox_id = f.mailbox_id AND c.folder = f.name "
            + "WHERE f.mailbox_id = :id AND f.name = ANY(:folders) AND f.messages >= 0 AND NOT f.deleted_on_server")
    long backlog(@Bind("id") long mailboxId, @Bind("folders") String[] folders);

    /** What waits on the server in one folder, as {@link #backlog} counts it. */
    record FolderBacklog(String folder, long waiting) {
    }

    @SqlQuery("SELECT f.name AS folder, GREATEST(0, f.messages - COALESCE(c.messages, 0)) AS waiting "
            + "FROM mailbox_folders f LEFT JOIN folder_message_counts c ON c.mailbox_id = f.mailbox_id AND c.folder = f.name "
            + "WHERE f.mailbox_id = :id AND f.name = ANY(:folders) AND f.messages >= 0 AND NOT f.deleted_on_server")
    List<FolderBacklog> backlogByFolder(@Bind("id") long mailboxId, @Bind("folders") String[] folders);

    /** How many message rows the mailbox holds, from the counts triggers keep (V14): no count over the messages. */
    @SqlQuery("SELECT COALESCE(sum(messages), 0) FROM folder_message_counts WHERE mailbox_id = :id")
    long storedMessages(@Bind("id") long mailboxId);

    /** How many of the mailbox's messages wait in quarantine. */
    @SqlQuery("SELECT count(*) FROM quarantine WHERE mailbox_id = :id")
    long quarantined(@Bind("id") long mailboxId);

    /**
     * What the per-mailbox metrics show: the backlog as {@link #backlog} counts it, the messages
     * waiting in quarantine, and the OAuth grant's refresh failures in a row (0 without a grant).
     */
    record Health(long id, String status, java.time.Instant lastSuccessAt, int consecutiveFailures, long backlog,
                  long quarantined, int refreshFailures) {
    }

    @SqlQuery("SELECT mb.id, mb.status, mb.last_success_at, mb.consecutive_failures, "
            + "(SELECT COALESCE(sum(GREATEST(0, f.messages - COALESCE(c.messages, 0))), 0) FROM mailbox_folders f "
            + "LEFT JOIN folder_message_counts c ON c.mailbox_id = f.mailbox_id AND c.folder = f.name "
            + "WHERE f.mailbox_id = mb.id AND f.name = ANY(mb.folders) AND f.messages >= 0 AND NOT f.deleted_on_server) "
            + "AS backlog, (SELECT count(*) FROM quarantine q WHERE q.mailbox_id = mb.id) AS quarantined, "
            + "COALESCE((SELECT g.failures FROM oauth_grants g WHERE g.mailbox_id = mb.id), 0) AS refresh_failures "
            + "FROM mailboxes mb ORDER BY mb.id")
    List<Health> health();
}
