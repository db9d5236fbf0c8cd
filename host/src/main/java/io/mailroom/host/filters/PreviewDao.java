package io.mailroom.host.filters;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;

/** Reads stored messages in id order for a preview (of a filter, of a rule); writes nothing. */
public interface PreviewDao {

    String COLUMNS = "id, mailbox_id, folder, content_hash, size, classification, direction, tags, received_at, "
            + "from_email, subject, sent_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE mailbox_id = :mailboxId AND id > :after ORDER BY id LIMIT :limit")
    List<PreviewCandidate> page(@Bind("mailboxId") long mailboxId, @Bind("after") long afterId, @Bind("limit") int limit);

    /** The messages of every mailbox a user owns (what a rule for all their mailboxes sees). */
    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE mailbox_id IN (SELECT id FROM mailboxes WHERE owner_user_id = :owner) "
            + "AND id > :after ORDER BY id LIMIT :limit")
    List<PreviewCandidate> pageOwnedBy(@Bind("owner") long ownerUserId, @Bind("after") long afterId, @Bind("limit") int limit);
}
