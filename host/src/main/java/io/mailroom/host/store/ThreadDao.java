package io.mailroom.host.store;

import io.mailroom.host.messages.MailThread;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Threads, and the look-ups that place a message in one. */
public interface ThreadDao {

    String COLUMNS = "t.id, t.mailbox_id, t.subject, t.participants, t.message_count, t.last_message_at";

    /** The thread of a stored message that this one refers to (In-Reply-To, References). */
    @SqlQuery("SELECT thread_id FROM messages WHERE mailbox_id = :mailboxId AND message_id = ANY(:ids) "
            + "AND thread_id IS NOT NULL ORDER BY id LIMIT 1")
    Optional<Long> threadOfReferenced(@Bind("mailboxId") long mailboxId, @Bind("ids") String[] messageIds);

    /** The thread of a stored message that refers to this one (its reply arrived first). */
    @SqlQuery("SELECT thread_id FROM messages WHERE mailbox_id = :mailboxId AND thread_id IS NOT NULL "
            + "AND (in_reply_to = :messageId OR refs @> ARRAY[CAST(:messageId AS TEXT)]) ORDER BY id LIMIT 1")
    Optional<Long> threadOfReferrer(@Bind("mailboxId") long mailboxId, @Bind("messageId") String messageId);

    /** The latest thread with this normalized subject, a shared participant, and a message since {@code since}. */
    @SqlQuery("SELECT id FROM threads WHERE mailbox_id = :mailboxId AND subject_key = :subjectKey "
            + "AND last_message_at >= :since AND participants && :participants ORDER BY last_message_at DESC LIMIT 1")
    Optional<Long> threadBySubject(@Bind("mailboxId") long mailboxId, @Bind("subjectKey") String subjectKey,
                                   @Bind("since") Instant since, @Bind("participants") String[] participants);

    @SqlUpdate("INSERT INTO threads (mailbox_id, subject, subject_key) VALUES (:mailboxId, :subject, :subjectKey)")
    @GetGeneratedKeys("id")
    long insert(@Bind("mailboxId") long mailboxId, @Bind("subject") String subject, @Bind("subjectKey") String subjectKey);

    /** Counts a new message in its thread. */
    @SqlUpdate("UPDATE threads SET message_count = message_count + 1, "
            + "last_message_at = GREATEST(last_message_at, :at), "
            + "participants = ARRAY(SELECT DISTINCT unnest(participants || :participants) ORDER BY 1) "
            + "WHERE id = :id")
    void addMessage(@Bind("id") long id, @Bind("at") Instant at, @Bind("participants") String[] participants);

    @SqlQuery("SELECT " + COLUMNS + " FROM threads t JOIN mailboxes mb ON mb.id = t.mailbox_id "
            + "AND (CAST(:viewer AS BIGINT) IS NULL OR mb.owner_user_id = :viewer) WHERE t.id = :id")
    Optional<MailThread> findVisible(@Bind("id") long id, @Bind("viewer") Long viewer);

    @SqlQuery("SELECT " + COLUMNS + " FROM threads t JOIN mailboxes mb ON mb.id = t.mailbox_id "
            + "AND (CAST(:viewer AS BIGINT) IS NULL OR mb.owner_user_id = :viewer) "
            + "WHERE t.id > :after AND (CAST(:mailboxId AS BIGINT) IS NULL OR t.mailbox_id = :mailboxId) "
            + "ORDER BY t.id LIMIT :limit")
    List<MailThread> page(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId, @Bind("after") long afterId,
                          @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM threads t JOIN mailboxes mb ON mb.id = t.mailbox_id "
            + "AND (CAST(:viewer AS BIGINT) IS NULL OR mb.owner_user_id = :viewer) "
            + "WHERE (CAST(:mailboxId AS BIGINT) IS NULL OR t.mailbox_id = :mailboxId)")
    long count(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId);
}
