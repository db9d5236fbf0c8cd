package io.mailroom.host.filters;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;

/** Reads a mailbox's stored messages in id order for a filter preview; writes nothing. */
public interface PreviewDao {

    @SqlQuery("SELECT id, folder, content_hash, size, classification, direction, tags, received_at, from_email, "
            + "subject, sent_at FROM messages WHERE mailbox_id = :mailboxId AND id > :after ORDER BY id LIMIT :limit")
    List<PreviewCandidate> page(@Bind("mailboxId") long mailboxId, @Bind("after") long afterId, @Bind("limit") int limit);
}
