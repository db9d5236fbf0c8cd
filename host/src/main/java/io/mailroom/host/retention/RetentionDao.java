package io.mailroom.host.retention;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

/**
 * The statements of retention and housekeeping. What may not go although it is old: a message
 * whose processing chain has not run ({@code processing_queue}), and outbound mail not sent yet
 * or whose copy to the Sent folder is pending (the outbox reads its bytes).
 */
public interface RetentionDao {

    String EXPIRED_MESSAGES = " FROM messages m WHERE m.received_at < :cutoff "
            + "AND NOT EXISTS (SELECT 1 FROM processing_queue q WHERE q.message_id = m.id) "
            + "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id "
            + "AND (o.state IN ('queued', 'sending') OR o.sent_copy = 'pending'))";

    /** Blobs nothing but the rows being deleted names (the caller has deleted those rows already, in its transaction). */
    String UNREFERENCED = "NOT EXISTS (SELECT 1 FROM messages m WHERE m.content_hash = b.sha256) "
            + "AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.content_hash = b.sha256) "
            + "AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256 AND a.part IS NULL)";

    /** How many of a kind one mailbox has to lose. */
    record MailboxCount(long mailboxId, long count) {
    }

    @SqlQuery("SELECT m.mailbox_id, count(*) AS count " + EXPIRED_MESSAGES + " GROUP BY m.mailbox_id ORDER BY m.mailbox_id")
    List<MailboxCount> expiredMessages(@Bind("cutoff") Instant cutoff);

    @SqlQuery("SELECT mailbox_id, count(*) AS count FROM quarantine WHERE received_at < :cutoff "
            + "GROUP BY mailbox_id ORDER BY mailbox_id")
    List<MailboxCount> expiredQuarantine(@Bind("cutoff") Instant cutoff);

    /** The blobs (count, bytes) that deleting the expired messages and quarantine entries leaves unreferenced. */
    record BlobTotal(long count, long bytes) {
    }

    @SqlQuery("""
            WITH doomed AS (SELECT m.id, m.content_hash """ + EXPIRED_MESSAGES + """
            ), doomed_q AS (SELECT id, content_hash FROM quarantine WHERE received_at < :cutoff),
            hashes AS (SELECT content_hash AS h FROM doomed
                       UNION SELECT a.sha256 FROM attachments a JOIN doomed d ON d.id = a.message_id
                             WHERE a.part IS NULL AND a.sha256 IS NOT NULL
                       UNION SELECT content_hash FROM doomed_q)
            SELECT count(*) AS count, COALESCE(sum(b.size), 0) AS bytes FROM hashes JOIN blobs b ON b.sha256 = hashes.h
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.content_hash = b.sha256 AND m.id NOT IN (SELECT id FROM doomed))
              AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.content_hash = b.sha256
                              AND q.id NOT IN (SELECT id FROM doomed_q))
              AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256 AND a.part IS NULL
                              AND a.message_id NOT IN (SELECT id FROM doomed))
            """)
    BlobTotal blobsFreed(@Bind("cutoff") Instant cutoff);

    @SqlQuery("SELECT count(*) FROM polls WHERE started_at < :cutoff AND status NOT IN ('running', 'queued')")
    long oldPolls(@Bind("cutoff") Instant cutoff);

    @SqlQuery("SELECT count(*) FROM skipped WHERE skipped_at < :cutoff")
    long oldSkipped(@Bind("cutoff") Instant cutoff);

    /** The next expired messages, oldest first, locked; rows another transaction holds are left for later. */
    @SqlQuery("SELECT m.id " + EXPIRED_MESSAGES + " ORDER BY m.received_at, m.id LIMIT :limit FOR UPDATE OF m SKIP LOCKED")
    long[] nextExpiredMessages(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit);

    /** The blobs attachments stored before V20 name (later ones are read from the raw message). */
    @SqlQuery("SELECT DISTINCT sha256 FROM attachments WHERE message_id = ANY(:ids) AND part IS NULL AND sha256 IS NOT NULL")
    List<String> attachmentBlobs(@Bind("ids") long[] messageIds);

    /** What a deleted row leaves: its mailbox, its bytes' hash, its thread. */
    record Gone(long mailboxId, String contentHash, Long threadId) {
    }

    /**
     * Deletes the messages (attachments, processing steps, queue rows, bounce checks, outbox rows
     * and send keys go with them; webhook deliveries and automatic-reply records keep their rows
     * without the id); the places of inbound mail from sources without a UID cursor stay known.
     */
    @SqlQuery("""
            WITH gone AS (DELETE FROM messages WHERE id = ANY(:ids)
                          RETURNING mailbox_id, folder, uid_validity, server_key, direction, content_hash, thread_id),
            remembered AS (INSERT INTO expired_keys (mailbox_id, folder, uid_validity, server_key, expired_at)
                           SELECT mailbox_id, folder, uid_validity, server_key, :now FROM gone
                           WHERE uid_validity = 0 AND direction = 'inbound' ON CONFLICT DO NOTHING)
            SELECT mailbox_id, content_hash, thread_id FROM gone
            """)
    List<Gone> deleteMessages(@Bind("ids") long[] ids, @Bind("now") Instant now);

    /** Threads that lost messages count what they still hold; those left empty go. */
    @SqlUpdate("UPDATE threads t SET message_count = (SELECT count(*) FROM messages m WHERE m.thread_id = t.id) "
            + "WHERE t.id = ANY(:ids)")
    void recountThreads(@Bind("ids") long[] threadIds);

    @SqlUpdate("DELETE FROM threads t WHERE t.id = ANY(:ids) AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id)")
    int deleteEmptyThreads(@Bind("ids") long[] threadIds);

    /** Quarantine entries older than the cutoff, a batch at a time; their places stay known as above. */
    @SqlQuery("""
            WITH gone AS (DELETE FROM quarantine WHERE id IN (SELECT id FROM quarantine WHERE received_at < :cutoff
                                                              ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
                          RETURNING mailbox_id, folder, uid_validity, server_key, content_hash),
            remembered AS (INSERT INTO expired_keys (mailbox_id, folder, uid_validity, server_key, expired_at)
                           SELECT mailbox_id, folder, uid_validity, server_key, :now FROM gone
                           WHERE uid_validity = 0 ON CONFLICT DO NOTHING)
            SELECT mailbox_id, content_hash, NULL AS thread_id FROM gone
            """)
    List<Gone> deleteQuarantine(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit, @Bind("now") Instant now);

    /** Deletes those of the blobs nothing names any more; returns their sizes. */
    @SqlQuery("DELETE FROM blobs b WHERE b.sha256 = ANY(:hashes) AND " + UNREFERENCED + " RETURNING b.size")
    List<Long> deleteUnreferencedBlobs(@Bind("hashes") String[] hashes);

    /** Finished poll logs older than the cutoff, a batch at a time. */
    @SqlUpdate("DELETE FROM polls WHERE id IN (SELECT id FROM polls WHERE started_at < :cutoff "
            + "AND status NOT IN ('running', 'queued') ORDER BY id LIMIT :limit)")
    int deletePolls(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit);

    /** Skipped records older than the cutoff, a batch at a time; their places stay known as above. */
    @SqlQuery("""
            WITH gone AS (DELETE FROM skipped WHERE id IN (SELECT id FROM skipped WHERE skipped_at < :cutoff
                                                           ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
                          RETURNING mailbox_id, folder, uid_validity, server_key),
            remembered AS (INSERT INTO expired_keys (mailbox_id, folder, uid_validity, server_key, expired_at)
                           SELECT mailbox_id, folder, uid_validity, server_key, :now FROM gone
                           WHERE uid_validity = 0 ON CONFLICT DO NOTHING)
            SELECT count(*) FROM gone
            """)
    int deleteSkipped(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit, @Bind("now") Instant now);
}
