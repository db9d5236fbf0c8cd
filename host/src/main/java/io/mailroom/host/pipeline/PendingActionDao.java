package io.mailroom.host.pipeline;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

/** Server actions stored with their messages, removed once carried out or given up. */
public interface PendingActionDao {

    @SqlUpdate("INSERT INTO pending_actions (mailbox_id, folder, uid_validity, server_key, action, target) "
            + "VALUES (:mailboxId, :folder, :validity, :key, :action, :target)")
    void insert(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                @Bind("key") String serverKey, @Bind("action") String action, @Bind("target") String target);

    /** Queues a batch's actions at one place (mailbox, folder, UIDVALIDITY) in one statement. */
    @SqlUpdate("INSERT INTO pending_actions (mailbox_id, folder, uid_validity, server_key, action, target) "
            + "SELECT :mailboxId, :folder, :validity, a.key, a.action, a.target "
            + "FROM unnest(:keys, :actions, :targets) AS a(key, action, target)")
    void insertAll(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                   @Bind("keys") String[] serverKeys, @Bind("actions") String[] actions,
                   @Bind("targets") String[] targets);

    @SqlQuery("SELECT * FROM pending_actions WHERE mailbox_id = :mailboxId ORDER BY id")
    List<PendingAction> forMailbox(@Bind("mailboxId") long mailboxId);

    /** The actions whose back-off has passed. */
    @SqlQuery("SELECT * FROM pending_actions WHERE mailbox_id = :mailboxId AND next_attempt_at <= :now ORDER BY id")
    List<PendingAction> due(@Bind("mailboxId") long mailboxId, @Bind("now") Instant now);

    /** Counts a failed attempt and sets when to try again. */
    @SqlUpdate("UPDATE pending_actions SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error "
            + "WHERE id = ANY(:ids)")
    void failed(@Bind("ids") long[] ids, @Bind("next") Instant nextAttemptAt, @Bind("error") String error);

    @SqlUpdate("DELETE FROM pending_actions WHERE id = ANY(:ids)")
    void delete(@Bind("ids") long[] ids);
}
