package io.mailroom.host.mailboxes;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

/**
 * Messages not stored on purpose (too big, sent before the first-sync window, not taken by the
 * mailbox's filter or sender rules), with the reason; their keys count as seen.
 */
public interface SkippedDao {

    /** A message left on the server. */
    record Skipped(long id, long mailboxId, String folder, long uidValidity, String serverKey, long size,
                   String reason, Instant skippedAt, String sender, String subject, Instant sentAt) {
    }

    @SqlUpdate("INSERT INTO skipped (mailbox_id, folder, uid_validity, server_key, size, reason) "
            + "VALUES (:mailboxId, :folder, :validity, :key, :size, :reason) "
            + "ON CONFLICT (mailbox_id, folder, uid_validity, server_key) DO UPDATE SET reason = excluded.reason")
    void insert(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                @Bind("key") String serverKey, @Bind("size") long size, @Bind("reason") String reason);

    /** Messages left on the server for one reason, at one place (mailbox, folder, UIDVALIDITY), in one statement. */
    @SqlUpdate("INSERT INTO skipped (mailbox_id, folder, uid_validity, server_key, size, reason) "
            + "SELECT :mailboxId, :folder, :validity, s.key, s.size, :reason FROM unnest(:keys, :sizes) AS s(key, size) "
            + "ON CONFLICT (mailbox_id, folder, uid_validity, server_key) DO UPDATE SET reason = excluded.reason")
    void insertAll(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                   @Bind("keys") String[] serverKeys, @Bind("sizes") long[] sizes, @Bind("reason") String reason);

    /**
     * Parsed messages not taken (the mailbox's filter, known senders, contacts only), each with its
     * own reason and what an auditor needs to recognise it, at one place, in one statement.
     */
    @SqlUpdate("INSERT INTO skipped (mailbox_id, folder, uid_validity, server_key, size, reason, sender, subject, sent_at) "
            + "SELECT :mailboxId, :folder, :validity, s.key, s.size, s.reason, s.sender, s.subject, s.sent_at "
            + "FROM unnest(:keys, :sizes, :reasons, :senders, :subjects, CAST(:dates AS timestamptz[])) "
            + "AS s(key, size, reason, sender, subject, sent_at) "
            + "ON CONFLICT (mailbox_id, folder, uid_validity, server_key) DO UPDATE SET reason = excluded.reason, "
            + "sender = excluded.sender, subject = excluded.subject, sent_at = excluded.sent_at")
    void insertNotTaken(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                        @Bind("keys") String[] serverKeys, @Bind("sizes") long[] sizes, @Bind("reasons") String[] reasons,
                        @Bind("senders") String[] senders, @Bind("subjects") String[] subjects,
                        @Bind("dates") String[] dates);

    @SqlQuery("SELECT * FROM skipped WHERE mailbox_id = :mailboxId AND id > :after ORDER BY id LIMIT :limit")
    List<Skipped> page(@Bind("mailboxId") long mailboxId, @Bind("after") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM skipped WHERE mailbox_id = :mailboxId")
    long count(@Bind("mailboxId") long mailboxId);

    /** The skipped messages of a mailbox with this key, in any folder (a POP3 or IMAP key; IMAP's repeat per folder). */
    @SqlQuery("SELECT * FROM skipped WHERE mailbox_id = :mailboxId AND server_key = :key ORDER BY id")
    List<Skipped> withKey(@Bind("mailboxId") long mailboxId, @Bind("key") String serverKey);

    @SqlUpdate("DELETE FROM skipped WHERE id = :id")
    void delete(@Bind("id") long id);
}
