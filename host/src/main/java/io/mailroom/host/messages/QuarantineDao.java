package io.mailroom.host.messages;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** Messages that failed to parse or process. */
public interface QuarantineDao {

    String VISIBLE = "JOIN mailboxes mb ON mb.id = q.mailbox_id AND (CAST(:viewer AS BIGINT) IS NULL OR mb.owner_user_id = :viewer)";

    @SqlUpdate("INSERT INTO quarantine (mailbox_id, folder, uid_validity, server_key, content_hash, size, reason) "
            + "VALUES (:mailboxId, :folder, :validity, :key, :hash, :size, :reason) "
            + "ON CONFLICT (mailbox_id, folder, uid_validity, server_key) DO UPDATE SET reason = excluded.reason")
    void insert(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                @Bind("key") String serverKey, @Bind("hash") String contentHash, @Bind("size") long size,
                @Bind("reason") String reason);

    @SqlQuery("SELECT q.* FROM quarantine q " + VISIBLE + " WHERE q.id = :id")
    Optional<QuarantinedMessage> findVisible(@Bind("id") long id, @Bind("viewer") Long viewer);

    @SqlQuery("SELECT q.* FROM quarantine q " + VISIBLE + " WHERE q.id > :after "
            + "AND (CAST(:mailboxId AS BIGINT) IS NULL OR q.mailbox_id = :mailboxId) ORDER BY q.id LIMIT :limit")
    List<QuarantinedMessage> page(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId,
                                  @Bind("after") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM quarantine q " + VISIBLE
            + " WHERE (CAST(:mailboxId AS BIGINT) IS NULL OR q.mailbox_id = :mailboxId)")
    long count(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId);

    @SqlUpdate("DELETE FROM quarantine WHERE id = :id")
    void delete(@Bind("id") long id);

    /** The id of the quarantined message at this place. */
    @SqlQuery("SELECT id FROM quarantine WHERE mailbox_id = :mailboxId AND folder = :folder AND uid_validity = :validity "
            + "AND server_key = :key")
    long idAt(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
              @Bind("key") String serverKey);
}
