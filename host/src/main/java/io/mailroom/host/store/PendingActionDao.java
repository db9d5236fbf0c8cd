package io.mailroom.host.store;

import io.mailroom.host.pipeline.PendingAction;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** Server actions stored with their messages and removed once carried out. */
public interface PendingActionDao {

    @SqlUpdate("INSERT INTO pending_actions (mailbox_id, folder, uid_validity, server_key, action, target) "
            + "VALUES (:mailboxId, :folder, :validity, :key, :action, :target)")
    void insert(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                @Bind("key") String serverKey, @Bind("action") String action, @Bind("target") String target);

    @SqlQuery("SELECT * FROM pending_actions WHERE mailbox_id = :mailboxId ORDER BY id")
    List<PendingAction> forMailbox(@Bind("mailboxId") long mailboxId);

    @SqlUpdate("DELETE FROM pending_actions WHERE id = ANY(:ids)")
    void delete(@Bind("ids") long[] ids);
}
