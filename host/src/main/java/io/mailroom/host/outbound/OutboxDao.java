package io.mailroom.host.outbound;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Outbound message rows, the outbox and idempotency keys. Every state change of an attempt is
 * its own short transaction, guarded by the lease owner, so a node whose lease ran out cannot
 * overwrite what the node that took over recorded.
 */
public interface OutboxDao {

    /** An outbound message as it is stored at send time. */
    record NewOutbound(long mailboxId, String folder, String serverKey, String contentHash, long size,
                       String messageId, String inReplyTo, List<String> refs, long threadId, String fromName,
                       String fromEmail, String toJson, String ccJson, String subject, Instant sentAt,
                       String textBody, String htmlBody, String classification) {
    }

    @SqlUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size, message_id, "
            + "in_reply_to, refs, thread_id, direction, from_name, from_email, to_addresses, cc_addresses, subject, "
            + "sent_at, received_at, flags, text_body, html_body, classification, status) VALUES (:mailboxId, :folder, "
            + "0, :serverKey, :contentHash, :size, :messageId, :inReplyTo, :refs, :threadId, 'outbound', :fromName, "
            + ":fromEmail, CAST(:toJson AS jsonb), CAST(:ccJson AS jsonb), :subject, :sentAt, :sentAt, '{\\\\Seen}', "
            + ":textBody, :htmlBody, :classification, 'queued')")
    @GetGeneratedKeys("id")
    long insertMessage(@BindMethods NewOutbound message);

    @SqlUpdate("INSERT INTO outbox (message_id, mailbox_id, envelope_from, recipients) "
            + "VALUES (:messageId, :mailboxId, :from, :recipients)")
    void enqueue(@Bind("messageId") long messageId, @Bind("mailboxId") long mailboxId, @Bind("from") String envelopeFrom,
                 @Bind("recipients") String[] recipients);

    /** Forgets a key older than a day, so it may name a new message. */
    @SqlUpdate("DELETE FROM send_keys WHERE user_id = :userId AND key = :key AND created_at <= now() - interval '24 hours'")
    void expireKey(@Bind("userId") long userId, @Bind("key") String key);

    /** Claims the key for the message; false when another send holds it (then roll back). */
    @SqlUpdate("INSERT INTO send_keys (user_id, key, message_id) VALUES (:userId, :key, :messageId) ON CONFLICT DO NOTHING")
    boolean claimKey(@Bind("userId") long userId, @Bind("key") String key, @Bind("messageId") long messageId);

    @SqlQuery("SELECT message_id FROM send_keys WHERE user_id = :userId AND key = :key "
            + "AND created_at > now() - interval '24 hours'")
    Optional<Long> messageOfKey(@Bind("userId") long userId, @Bind("key") String key);

    /** An outbox row being worked on. */
    record Entry(long messageId, long mailboxId, String envelopeFrom, List<String> recipients, int attempts,
                 String contentHash) {
    }

    /** The next due row no other worker holds, locked until the claiming transaction ends. */
    @SqlQuery("SELECT o.message_id, o.mailbox_id, o.envelope_from, o.recipients, o.attempts, m.content_hash "
            + "FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.state = 'queued' "
            + "AND o.next_attempt_at <= now() ORDER BY o.next_attempt_at, o.message_id LIMIT 1 FOR UPDATE OF o SKIP LOCKED")
    Optional<Entry> nextDue();

    /** Attempts the mailbox started in the last minute: what its rate limit counts. */
    @SqlQuery("SELECT count(*) FROM outbox WHERE mailbox_id = :mailboxId AND attempt_at > now() - interval '1 minute'")
    int attemptsInLastMinute(@Bind("mailboxId") long mailboxId);

    /** When the oldest attempt of the last minute leaves the window. */
    @SqlQuery("SELECT min(attempt_at) + interval '1 minute' FROM outbox WHERE mailbox_id = :mailboxId "
            + "AND attempt_at > now() - interval '1 minute'")
    Optional<Instant> windowFrees(@Bind("mailboxId") long mailboxId);

    @SqlUpdate("UPDATE outbox SET next_attempt_at = :at WHERE message_id = :messageId")
    void postpone(@Bind("messageId") long messageId, @Bind("at") Instant at);

    @SqlUpdate("UPDATE outbox SET state = 'sending', attempts = attempts + 1, attempt_at = now(), data_at = NULL, "
            + "end_of_data_at = NULL, lease_owner = :owner, lease_until = now() + CAST(:lease AS interval) "
            + "WHERE message_id = :messageId")
    void lease(@Bind("messageId") long messageId, @Bind("owner") String owner, @Bind("lease") String lease);

    /** Recorded, and committed, before DATA is sent. */
    @SqlUpdate("UPDATE outbox SET data_at = now() WHERE message_id = :messageId AND lease_owner = :owner AND state = 'sending'")
    int recordData(@Bind("messageId") long messageId, @Bind("owner") String owner);

    /** Recorded, and committed, before the final dot: from here on the server may accept it. */
    @SqlUpdate("UPDATE outbox SET end_of_data_at = now() WHERE message_id = :messageId AND lease_owner = :owner "
            + "AND state = 'sending'")
    int recordEndOfData(@Bind("messageId") long messageId, @Bind("owner") String owner);

    @SqlUpdate("UPDATE outbox SET state = :state, last_reply = :reply, done_at = now(), lease_owner = NULL, "
            + "lease_until = NULL WHERE message_id = :messageId AND (lease_owner = :owner OR CAST(:owner AS TEXT) IS NULL)")
    int finish(@Bind("messageId") long messageId, @Bind("owner") String owner, @Bind("state") String state,
               @Bind("reply") String reply);

    /** A sent message is to be copied to the Sent folder when its mailbox saves sent mail (default: IMAP sources). */
    @SqlUpdate("UPDATE outbox o SET sent_copy = 'pending', sent_copy_next_at = now() FROM mailbox_smtp s, mailboxes m "
            + "WHERE o.message_id = :messageId AND o.state = 'sent' AND o.sent_copy IS NULL "
            + "AND s.mailbox_id = o.mailbox_id AND m.id = o.mailbox_id AND COALESCE(s.save_sent, m.source = 'imap')")
    void askSentCopy(@Bind("messageId") long messageId);

    /** A copy to make, claimed for a while (its next try is pushed past the lease). */
    record SentCopy(long messageId, long mailboxId, String contentHash, int attempts) {
    }

    @SqlQuery("UPDATE outbox o SET sent_copy_next_at = now() + CAST(:lease AS INTERVAL) FROM messages m "
            + "WHERE o.message_id = (SELECT message_id FROM outbox WHERE sent_copy = 'pending' AND sent_copy_next_at <= now() "
            + "ORDER BY sent_copy_next_at LIMIT 1 FOR UPDATE SKIP LOCKED) AND m.id = o.message_id "
            + "RETURNING o.message_id, o.mailbox_id, m.content_hash, o.sent_copy_attempts AS attempts")
    Optional<SentCopy> claimSentCopy(@Bind("lease") String lease);

    /** Names the folder the copy goes to (UIDVALIDITY 0: no real place), so the sync finds it there. */
    @SqlUpdate("UPDATE messages SET folder = :folder, uid_validity = 0 WHERE id = :messageId AND direction = 'outbound' "
            + "AND folder = '" + SendService.FOLDER + "'")
    void placeInFolder(@Bind("messageId") long messageId, @Bind("folder") String folder);

    @SqlUpdate("UPDATE outbox SET sent_copy = :state, sent_copy_note = :note, sent_copy_next_at = NULL, "
            + "sent_copy_attempts = sent_copy_attempts + 1 WHERE message_id = :messageId")
    void sentCopyDone(@Bind("messageId") long messageId, @Bind("state") String state, @Bind("note") String note);

    @SqlUpdate("UPDATE outbox SET sent_copy_note = :note, sent_copy_next_at = now() + CAST(:wait AS INTERVAL), "
            + "sent_copy_attempts = sent_copy_attempts + 1 WHERE message_id = :messageId")
    void sentCopyLater(@Bind("messageId") long messageId, @Bind("note") String note, @Bind("wait") String wait);

    @SqlUpdate("UPDATE messages SET status = :status WHERE id = :messageId")
    void setMessageStatus(@Bind("messageId") long messageId, @Bind("status") String status);

    @SqlUpdate("UPDATE outbox SET state = 'queued', last_reply = :reply, next_attempt_at = :at, lease_owner = NULL, "
            + "lease_until = NULL WHERE message_id = :messageId AND lease_owner = :owner")
    int retryLater(@Bind("messageId") long messageId, @Bind("owner") String owner, @Bind("reply") String reply,
                   @Bind("at") Instant at);

    /** An attempt whose lease ran out: its node stopped (or hung) somewhere in it. */
    record Abandoned(long messageId, boolean dataStarted, boolean endOfDataSent) {
    }

    @SqlQuery("SELECT message_id, data_at IS NOT NULL AS data_started, end_of_data_at IS NOT NULL AS end_of_data_sent "
            + "FROM outbox WHERE state = 'sending' AND lease_until < now() FOR UPDATE SKIP LOCKED")
    List<Abandoned> abandoned();

    @SqlUpdate("UPDATE outbox SET state = 'queued', lease_owner = NULL, lease_until = NULL, next_attempt_at = now(), "
            + "last_reply = :reply WHERE message_id = :messageId AND state = 'sending'")
    void requeue(@Bind("messageId") long messageId, @Bind("reply") String reply);

    /** What the API shows of a message's delivery (and of a bounce that answered it). */
    record Delivery(String state, int attempts, Instant nextAttemptAt, String lastReply, Instant doneAt,
                    String bounceRecipient, String bounceStatus, String bounceDiagnostic, Long bounceMessageId,
                    String sentCopy, String sentCopyNote) {
    }

    @SqlQuery("SELECT state, attempts, next_attempt_at, last_reply, done_at, bounce_recipient, bounce_status, "
            + "bounce_diagnostic, bounce_message_id, sent_copy, sent_copy_note FROM outbox WHERE message_id = :messageId")
    Optional<Delivery> delivery(@Bind("messageId") long messageId);

    /** A stored inbound bounce not looked at yet. */
    record UncheckedBounce(long id, long mailboxId, String contentHash) {
    }

    @SqlQuery("SELECT m.id, m.mailbox_id, m.content_hash FROM messages m WHERE m.classification = 'bounce' "
            + "AND m.direction = 'inbound' AND NOT EXISTS (SELECT 1 FROM bounces_checked b WHERE b.message_id = m.id) "
            + "ORDER BY m.id LIMIT :limit FOR UPDATE OF m SKIP LOCKED")
    List<UncheckedBounce> uncheckedBounces(@Bind("limit") int limit);

    @SqlQuery("SELECT id FROM messages WHERE mailbox_id = :mailboxId AND message_id = :messageId "
            + "AND direction = 'outbound' ORDER BY id LIMIT 1")
    Optional<Long> outboundByMessageId(@Bind("mailboxId") long mailboxId, @Bind("messageId") String messageId);

    @SqlUpdate("INSERT INTO bounces_checked (message_id, outbound_id) VALUES (:bounceId, :outboundId)")
    void checked(@Bind("bounceId") long bounceId, @Bind("outboundId") Long outboundId);

    @SqlUpdate("UPDATE outbox SET bounce_recipient = :recipient, bounce_status = :status, bounce_diagnostic = :diagnostic, "
            + "bounce_message_id = :bounceId WHERE message_id = :outboundId")
    void recordBounce(@Bind("outboundId") long outboundId, @Bind("bounceId") long bounceId,
                      @Bind("recipient") String recipient, @Bind("status") String status,
                      @Bind("diagnostic") String diagnostic);
}
