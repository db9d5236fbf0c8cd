package io.mailroom.host.pipeline;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Messages waiting for their processing chain ({@code processing_queue}). */
public interface ProcessingQueueDao {

    /** A message taken under a lease: which generation of actions it runs, and how often it was tried. */
    record Claimed(long messageId, long mailboxId, int generation, int attempts, boolean retryFailed) {
    }

    /** Queues a batch's new messages with one statement (inside the batch's transaction). */
    @SqlUpdate("INSERT INTO processing_queue (message_id, mailbox_id) SELECT unnest(:ids), :mailboxId "
            + "ON CONFLICT (message_id) DO NOTHING")
    void queueAll(@Bind("mailboxId") long mailboxId, @Bind("ids") long[] messageIds);

    /** Queues one message again for a reprocess, due at once, for {@code generation}; its failed steps are tried again. */
    @SqlUpdate("INSERT INTO processing_queue (message_id, mailbox_id, generation, retry_failed) "
            + "VALUES (:id, :mailboxId, :generation, true) "
            + "ON CONFLICT (message_id) DO UPDATE SET generation = EXCLUDED.generation, retry_failed = true, attempts = 0, "
            + "next_attempt_at = '-infinity', last_error = NULL")
    void queue(@Bind("id") long messageId, @Bind("mailboxId") long mailboxId, @Bind("generation") int generation);

    /**
     * Takes the next due message no one holds (of one mailbox, or any when {@code mailboxId} is
     * null; that one message when {@code messageId} is given) under a lease until {@code until};
     * other nodes skip the locked row. The pick is a scalar subquery (run once, before the
     * update): joined as a FROM item, the planner may run it again for each queue row, each run
     * skipping the rows just leased, and lease every due message (ProcessingQueueClaimTest).
     */
    @SqlQuery("UPDATE processing_queue q SET lease_owner = :owner, lease_until = :until WHERE q.message_id = ("
            + "SELECT message_id FROM processing_queue WHERE next_attempt_at <= :now "
            + "AND (lease_until IS NULL OR lease_until < :now) "
            + "AND (CAST(:mailboxId AS BIGINT) IS NULL OR mailbox_id = :mailboxId) "
            + "AND (CAST(:messageId AS BIGINT) IS NULL OR message_id = :messageId) "
            + "ORDER BY next_attempt_at, message_id LIMIT 1 FOR UPDATE SKIP LOCKED) "
            + "RETURNING q.message_id, q.mailbox_id, q.generation, q.attempts, q.retry_failed")
    Optional<Claimed> claim(@Bind("mailboxId") Long mailboxId, @Bind("messageId") Long messageId,
                            @Bind("owner") String owner, @Bind("now") Instant now, @Bind("until") Instant until);

    /** Whether the mailbox has messages due or held by a worker now (what a sync waits for). */
    @SqlQuery("SELECT count(*) FROM processing_queue WHERE mailbox_id = :mailboxId AND next_attempt_at <= :now")
    long waiting(@Bind("mailboxId") long mailboxId, @Bind("now") Instant now);

    /** The chain finished: the message leaves the queue (only while this owner holds it). */
    @SqlUpdate("DELETE FROM processing_queue WHERE message_id = :id AND lease_owner = :owner")
    int finish(@Bind("id") long messageId, @Bind("owner") String owner);

    /** A temporary failure: tried again after {@code next}. */
    @SqlUpdate("UPDATE processing_queue SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error, "
            + "lease_owner = NULL, lease_until = NULL WHERE message_id = :id AND lease_owner = :owner")
    int postpone(@Bind("id") long messageId, @Bind("owner") String owner, @Bind("next") Instant next,
                 @Bind("error") String error);

    /** A message of a mailbox without rules or sink, taken off the queue with what its post-actions need. */
    record Plain(long messageId, String folder, long uidValidity, String serverKey, List<String> flags,
                 boolean deletedOnServer) {
    }

    /**
     * Takes up to {@code limit} due messages of the mailbox off the queue at once, in the caller's
     * transaction: those of a first run (generation 0, no step recorded) that no one holds. For a
     * mailbox without rules or sink, whose chain is only its own post-actions.
     */
    @SqlQuery("WITH taken AS (DELETE FROM processing_queue WHERE message_id IN (SELECT q.message_id "
            + "FROM processing_queue q WHERE q.mailbox_id = :mailboxId AND q.generation = 0 "
            + "AND q.next_attempt_at <= :now AND (q.lease_until IS NULL OR q.lease_until < :now) "
            + "AND NOT EXISTS (SELECT 1 FROM processing_steps s WHERE s.message_id = q.message_id) "
            + "ORDER BY q.message_id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING message_id) "
            + "SELECT m.id AS message_id, m.folder, m.uid_validity, m.server_key, m.flags, m.deleted_on_server "
            + "FROM taken JOIN messages m ON m.id = taken.message_id ORDER BY m.id")
    List<Plain> takePlain(@Bind("mailboxId") long mailboxId, @Bind("now") Instant now, @Bind("limit") int limit);

    @SqlQuery("SELECT message_id FROM processing_queue WHERE mailbox_id = :mailboxId ORDER BY message_id")
    List<Long> queued(@Bind("mailboxId") long mailboxId);
}
