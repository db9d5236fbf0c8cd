package io.mailroom.host.messages;

import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Threads, and the look-ups that place a message in one. */
public interface ThreadDao extends SqlObject {

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

    /** A stored message a batch's threading may hang on: by its id, its references, or its bytes. */
    record Linked(long id, long threadId, String messageId, String inReplyTo, List<String> refs, String contentHash) {
    }

    /**
     * In one query, the stored messages with a thread that a batch links to: those whose
     * Message-ID the batch refers to, those that refer to a Message-ID of the batch (replies that
     * arrived first), and those with the same bytes as a message of the batch; oldest first.
     */
    @SqlQuery("SELECT id, thread_id, message_id, in_reply_to, refs, content_hash FROM messages "
            + "WHERE mailbox_id = :mailboxId AND thread_id IS NOT NULL AND (message_id = ANY(:referenced) "
            + "OR in_reply_to = ANY(:messageIds) OR refs && :messageIds OR content_hash = ANY(:hashes)) ORDER BY id")
    List<Linked> linked(@Bind("mailboxId") long mailboxId, @Bind("referenced") String[] referenced,
                        @Bind("messageIds") String[] messageIds, @Bind("hashes") String[] contentHashes);

    /** A thread a message may join by subject. */
    record Candidate(long id, String subjectKey, Instant lastMessageAt, List<String> participants) {
    }

    /** The threads with one of these subject keys and a message since {@code since}, or among {@code ids}. */
    @SqlQuery("SELECT id, subject_key, last_message_at, participants FROM threads WHERE mailbox_id = :mailboxId "
            + "AND subject_key = ANY(:keys) AND (last_message_at >= :since OR id = ANY(CAST(:ids AS bigint[])))")
    List<Candidate> bySubjects(@Bind("mailboxId") long mailboxId, @Bind("keys") String[] subjectKeys,
                               @Bind("since") Instant since, @Bind("ids") String[] ids);

    @SqlQuery("SELECT nextval('threads_id_seq') FROM generate_series(1, :count)")
    List<Long> nextIds(@Bind("count") int count);

    /** What a batch adds to one thread: its messages, the latest of their dates, their participants. */
    record Added(long id, String subject, String subjectKey, int messages, Instant lastMessageAt,
                 List<String> participants) {
    }

    /** Creates the threads a batch started, in one statement. */
    default void insertAll(long mailboxId, List<Added> threads) {
        if (threads.isEmpty()) {
            return;
        }
        getHandle().createUpdate("""
                INSERT INTO threads (id, mailbox_id, subject, subject_key, participants, message_count, last_message_at)
                SELECT t.id, :mailboxId, t.subject, t.subject_key,
                    ARRAY(SELECT DISTINCT jsonb_array_elements_text(CAST(t.participants AS jsonb)) ORDER BY 1),
                    t.messages, t.last_message_at
                FROM unnest(CAST(:ids AS bigint[]), :subjects, :keys, :participants, CAST(:counts AS int[]),
                    CAST(:ats AS timestamptz[])) AS t(id, subject, subject_key, participants, messages, last_message_at)""")
                .bind("mailboxId", mailboxId)
                .bind("ids", MessageDao.column(threads, t -> Long.toString(t.id())))
                .bind("subjects", MessageDao.column(threads, Added::subject))
                .bind("keys", MessageDao.column(threads, Added::subjectKey))
                .bind("participants", MessageDao.column(threads, t -> MessageDao.JsonArray.of(t.participants())))
                .bind("counts", MessageDao.column(threads, t -> Integer.toString(t.messages())))
                .bind("ats", MessageDao.column(threads, t -> t.lastMessageAt().toString()))
                .execute();
    }

    /** Counts a batch's messages in threads that existed before it: one statement, each thread updated once. */
    default void addAll(List<Added> threads) {
        if (threads.isEmpty()) {
            return;
        }
        getHandle().createUpdate("""
                UPDATE threads t SET message_count = t.message_count + a.messages,
                    last_message_at = GREATEST(t.last_message_at, a.last_message_at),
                    participants = ARRAY(SELECT DISTINCT p FROM unnest(t.participants
                        || ARRAY(SELECT jsonb_array_elements_text(CAST(a.participants AS jsonb)))) p ORDER BY 1)
                FROM unnest(CAST(:ids AS bigint[]), CAST(:counts AS int[]), CAST(:ats AS timestamptz[]), :participants)
                    AS a(id, messages, last_message_at, participants)
                WHERE t.id = a.id""")
                .bind("ids", MessageDao.column(threads, t -> Long.toString(t.id())))
                .bind("counts", MessageDao.column(threads, t -> Integer.toString(t.messages())))
                .bind("ats", MessageDao.column(threads, t -> t.lastMessageAt().toString()))
                .bind("participants", MessageDao.column(threads, t -> MessageDao.JsonArray.of(t.participants())))
                .execute();
    }

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
