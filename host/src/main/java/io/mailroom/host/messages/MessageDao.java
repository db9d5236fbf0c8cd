package io.mailroom.host.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored messages and their attachments. */
public interface MessageDao extends SqlObject {

    String COLUMNS = "m.id, m.mailbox_id, m.folder, m.uid_validity, m.server_key, m.uid, m.content_hash, m.size, "
            + "m.message_id, m.in_reply_to, m.refs, m.thread_id, m.direction, m.from_name, m.from_email, "
            + "m.to_addresses::text AS to_addresses, m.cc_addresses::text AS cc_addresses, m.subject, m.sent_at, "
            + "m.received_at, m.flags, m.text_body, m.html_body, m.classification, m.status, m.tags, m.deleted_on_server, "
            + "m.post_action_error";
    /** Rows of mailboxes the viewer may see; a null viewer is a superadmin. */
    /** The list filters of {@code GET /api/messages}; a null parameter does not filter. */
    String FILTER = "(CAST(:mailboxId AS BIGINT) IS NULL OR m.mailbox_id = :mailboxId) "
            + "AND (CAST(:threadId AS BIGINT) IS NULL OR m.thread_id = :threadId) "
            + "AND (CAST(:folder AS TEXT) IS NULL OR m.folder = :folder) "
            + "AND (CAST(:direction AS TEXT) IS NULL OR m.direction = :direction) "
            + "AND (CAST(:since AS TIMESTAMPTZ) IS NULL OR m.received_at >= :since) "
            + "AND (CAST(:q AS TEXT) IS NULL OR m.subject ILIKE '%' || :q || '%' OR m.from_email ILIKE '%' || :q || '%' "
            + "     OR m.text_body ILIKE '%' || :q || '%')";
    String VISIBLE = "JOIN mailboxes mb ON mb.id = m.mailbox_id AND (CAST(:viewer AS BIGINT) IS NULL OR mb.owner_user_id = :viewer)";

    @SqlUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, uid, content_hash, size, message_id, "
            + "in_reply_to, refs, thread_id, from_name, from_email, to_addresses, cc_addresses, subject, sent_at, "
            + "received_at, flags, text_body, html_body, headers, classification) VALUES (:mailboxId, :folder, "
            + ":uidValidity, :serverKey, :uid, :contentHash, :size, :messageId, :inReplyTo, :refs, :threadId, :fromName, "
            + ":fromEmail, CAST(:toJson AS jsonb), CAST(:ccJson AS jsonb), :subject, :sentAt, :receivedAt, :flags, "
            + ":textBody, :htmlBody, CAST(:headersJson AS jsonb), :classification)")
    @GetGeneratedKeys("id")
    long insert(@BindMethods NewMessage message);

    /** Ids for rows about to be inserted, so that a batch's rows can name each other before they are written. */
    @SqlQuery("SELECT nextval('messages_id_seq') FROM generate_series(1, :count)")
    List<Long> nextIds(@Bind("count") int count);

    /**
     * Inserts a batch of messages of one place (mailbox, folder, UIDVALIDITY) under the ids given,
     * in one statement: one round trip, and the row-count triggers run once. Lists of a row
     * (references, flags) travel as JSON arrays, since SQL arrays of arrays must be rectangular.
     */
    default void insertAll(List<Long> ids, List<NewMessage> rows) {
        if (rows.isEmpty()) {
            return;
        }
        NewMessage first = rows.getFirst();
        getHandle().createUpdate("""
                INSERT INTO messages (id, mailbox_id, folder, uid_validity, server_key, uid, content_hash, size,
                    message_id, in_reply_to, refs, thread_id, from_name, from_email, to_addresses, cc_addresses,
                    subject, sent_at, received_at, flags, text_body, html_body, headers, classification)
                SELECT r.id, :mailboxId, :folder, :validity, r.server_key, r.uid, r.content_hash, r.size,
                    r.message_id, r.in_reply_to, ARRAY(SELECT jsonb_array_elements_text(CAST(r.refs AS jsonb))),
                    r.thread_id, r.from_name, r.from_email, CAST(r.to_addresses AS jsonb), CAST(r.cc_addresses AS jsonb),
                    r.subject, r.sent_at, r.received_at, ARRAY(SELECT jsonb_array_elements_text(CAST(r.flags AS jsonb))),
                    r.text_body, r.html_body, CAST(r.headers AS jsonb), r.classification
                FROM unnest(CAST(:ids AS bigint[]), :serverKeys, CAST(:uids AS bigint[]), :hashes,
                    CAST(:sizes AS bigint[]), :messageIds, :inReplyTos, :refs, CAST(:threadIds AS bigint[]),
                    :fromNames, :fromEmails, :tos, :ccs, :subjects, CAST(:sentAts AS timestamptz[]),
                    CAST(:receivedAts AS timestamptz[]), :flags, :texts, :htmls, :headers, :classifications)
                    AS r(id, server_key, uid, content_hash, size, message_id, in_reply_to, refs, thread_id, from_name,
                    from_email, to_addresses, cc_addresses, subject, sent_at, received_at, flags, text_body,
                    html_body, headers, classification)""")
                .bind("mailboxId", first.mailboxId()).bind("folder", first.folder()).bind("validity", first.uidValidity())
                .bind("ids", ids.stream().map(String::valueOf).toArray(String[]::new))
                .bind("serverKeys", column(rows, NewMessage::serverKey))
                .bind("uids", column(rows, row -> row.uid() == null ? null : row.uid().toString()))
                .bind("hashes", column(rows, NewMessage::contentHash))
                .bind("sizes", column(rows, row -> Long.toString(row.size())))
                .bind("messageIds", column(rows, NewMessage::messageId))
                .bind("inReplyTos", column(rows, NewMessage::inReplyTo))
                .bind("refs", column(rows, row -> JsonArray.of(row.refs())))
                .bind("threadIds", column(rows, row -> Long.toString(row.threadId())))
                .bind("fromNames", column(rows, NewMessage::fromName))
                .bind("fromEmails", column(rows, NewMessage::fromEmail))
                .bind("tos", column(rows, NewMessage::toJson))
                .bind("ccs", column(rows, NewMessage::ccJson))
                .bind("subjects", column(rows, NewMessage::subject))
                .bind("sentAts", column(rows, row -> row.sentAt() == null ? null : row.sentAt().toString()))
                .bind("receivedAts", column(rows, row -> row.receivedAt() == null ? null : row.receivedAt().toString()))
                .bind("flags", column(rows, row -> JsonArray.of(row.flags())))
                .bind("texts", column(rows, NewMessage::textBody))
                .bind("htmls", column(rows, NewMessage::htmlBody))
                .bind("headers", column(rows, NewMessage::headersJson))
                .bind("classifications", column(rows, NewMessage::classification))
                .execute();
    }

    /** Inserts attachment rows in one statement. */
    default void insertAttachments(List<StoredAttachment> rows) {
        if (rows.isEmpty()) {
            return;
        }
        getHandle().createUpdate("""
                INSERT INTO attachments (message_id, index, filename, content_type, size, sha256, part)
                SELECT * FROM unnest(CAST(:messageIds AS bigint[]), CAST(:indexes AS int[]), :filenames, :contentTypes,
                    CAST(:sizes AS bigint[]), :hashes, :parts)""")
                .bind("messageIds", column(rows, row -> Long.toString(row.messageId())))
                .bind("indexes", column(rows, row -> Integer.toString(row.index())))
                .bind("filenames", column(rows, StoredAttachment::filename))
                .bind("contentTypes", column(rows, StoredAttachment::contentType))
                .bind("sizes", column(rows, row -> Long.toString(row.size())))
                .bind("hashes", column(rows, StoredAttachment::sha256))
                .bind("parts", column(rows, StoredAttachment::part))
                .execute();
    }

    /** One column of a batch of rows, bound as a text array (SQL casts it to the column's type). */
    static <T> String[] column(List<T> rows, java.util.function.Function<T, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }

    /** A list of strings as a JSON array, how a row's list travels in a batch. */
    final class JsonArray {
        private static final ObjectMapper JSON = new ObjectMapper();

        private JsonArray() {
        }

        static String of(List<String> values) {
            try {
                return JSON.writeValueAsString(values);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @SqlUpdate("INSERT INTO attachments (message_id, index, filename, content_type, size, sha256, part) "
            + "VALUES (:messageId, :index, :filename, :contentType, :size, :sha256, :part)")
    void insertAttachment(@BindMethods StoredAttachment attachment);

    /** A place where a message with these bytes is stored in the mailbox. */
    record KnownContent(long id, String hash, String folder, long uidValidity, boolean deletedOnServer, Long threadId) {

        /**
         * Whether this row's place is gone, so the same bytes found at {@code folder} under
         * {@code validity} are this message moved there (or found again under a new UIDVALIDITY),
         * rather than a second copy: deleted on the server, or of an older UIDVALIDITY of the folder.
         */
        public boolean placeGoneFor(String folder, long validity) {
            return deletedOnServer || this.folder.equals(folder) && uidValidity != validity;
        }
    }

    @SqlQuery("SELECT id, content_hash AS hash, folder, uid_validity, deleted_on_server, thread_id FROM messages "
            + "WHERE mailbox_id = :mailboxId AND content_hash = ANY(:hashes) ORDER BY id")
    List<KnownContent> findByContents(@Bind("mailboxId") long mailboxId, @Bind("hashes") String[] contentHashes);

    /** The thread of another place of the same bytes: a copy of a message joins the message's thread. */
    @SqlQuery("SELECT thread_id FROM messages WHERE mailbox_id = :mailboxId AND content_hash = :hash "
            + "AND thread_id IS NOT NULL ORDER BY id LIMIT 1")
    Optional<Long> threadOfContent(@Bind("mailboxId") long mailboxId, @Bind("hash") String contentHash);

    /** Which of these keys are stored, quarantined or skipped at this location, or were and expired (V35). */
    @SqlQuery("SELECT server_key FROM messages WHERE mailbox_id = :mailboxId AND folder = :folder "
            + "AND uid_validity = :validity AND server_key = ANY(:keys) UNION SELECT server_key FROM quarantine "
            + "WHERE mailbox_id = :mailboxId AND folder = :folder AND uid_validity = :validity AND server_key = ANY(:keys) "
            + "UNION SELECT server_key FROM skipped "
            + "WHERE mailbox_id = :mailboxId AND folder = :folder AND uid_validity = :validity AND server_key = ANY(:keys) "
            + "UNION SELECT server_key FROM expired_keys "
            + "WHERE mailbox_id = :mailboxId AND folder = :folder AND uid_validity = :validity AND server_key = ANY(:keys)")
    List<String> keysAt(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder,
                        @Bind("validity") long validity, @Bind("keys") String[] serverKeys);

    /** When a stored message at a location was sent, as its parse told. */
    record SentAt(String serverKey, Instant sentAt) {
    }

    /** When the messages stored under these keys at this location were sent (POP3 keeps no dates of its own). */
    @SqlQuery("SELECT server_key, sent_at FROM messages WHERE mailbox_id = :mailboxId AND folder = :folder "
            + "AND uid_validity = :validity AND server_key = ANY(:keys) AND sent_at IS NOT NULL")
    List<SentAt> sentAt(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder,
                        @Bind("validity") long validity, @Bind("keys") String[] serverKeys);

    /** Records where an already stored message is found now (a new UIDVALIDITY, or another folder). */
    @SqlUpdate("UPDATE messages SET folder = :folder, uid_validity = :validity, server_key = :key, uid = :uid, "
            + "deleted_on_server = false WHERE id = :id")
    void relocate(@Bind("id") long id, @Bind("folder") String folder, @Bind("validity") long validity,
                  @Bind("key") String serverKey, @Bind("uid") Long uid);

    /** Why the server actions of the message at this place were given up. */
    @SqlUpdate("UPDATE messages SET post_action_error = :error WHERE mailbox_id = :mailboxId AND folder = :folder "
            + "AND uid_validity = :validity AND server_key = ANY(:keys)")
    void recordPostActionError(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder,
                               @Bind("validity") long validity, @Bind("keys") String[] serverKeys,
                               @Bind("error") String error);

    @SqlUpdate("UPDATE messages SET flags = :flags WHERE mailbox_id = :mailboxId AND folder = :folder "
            + "AND uid_validity = :validity AND server_key = :key")
    void updateFlags(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
                     @Bind("key") String serverKey, @Bind("flags") String[] flags);

    @SqlUpdate("UPDATE messages SET deleted_on_server = true WHERE mailbox_id = :mailboxId AND folder = :folder "
            + "AND uid_validity = :validity AND server_key = ANY(:keys)")
    void markDeletedOnServer(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder,
                             @Bind("validity") long validity, @Bind("keys") String[] serverKeys);

    /** After a folder was read again under a new UIDVALIDITY, what was not found there is gone. */
    @SqlUpdate("UPDATE messages SET deleted_on_server = true WHERE mailbox_id = :mailboxId AND folder = :folder "
            + "AND uid_validity <> :validity")
    void markOtherValiditiesDeleted(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder,
                                    @Bind("validity") long validity);

    @SqlUpdate("UPDATE messages SET deleted_on_server = true WHERE mailbox_id = :mailboxId AND folder = :folder")
    void markFolderDeletedOnServer(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder);

    @SqlQuery("SELECT count(*) FROM messages WHERE mailbox_id = :mailboxId AND folder = :folder")
    long countInFolder(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder);

    @SqlQuery("SELECT " + COLUMNS + " FROM messages m " + VISIBLE + " WHERE m.id = :id")
    Optional<StoredMessage> findVisible(@Bind("id") long id, @Bind("viewer") Long viewer);

    @SqlQuery("SELECT count(*) FROM messages m " + VISIBLE + " WHERE " + FILTER)
    long count(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId, @Bind("threadId") Long threadId,
               @Bind("folder") String folder, @Bind("direction") String direction, @Bind("since") Instant since,
               @Bind("q") String q);

    @SqlQuery("SELECT * FROM attachments WHERE message_id = :messageId ORDER BY index")
    List<StoredAttachment> attachments(@Bind("messageId") long messageId);

    @SqlUpdate("UPDATE messages SET subject = :subject, text_body = :textBody, html_body = :htmlBody, "
            + "classification = :classification WHERE id = :id")
    void updateParsed(@Bind("id") long id, @Bind("subject") String subject, @Bind("textBody") String textBody,
                      @Bind("htmlBody") String htmlBody, @Bind("classification") String classification);

    /** The id of the message stored at this place. */
    @SqlQuery("SELECT id FROM messages WHERE mailbox_id = :mailboxId AND folder = :folder AND uid_validity = :validity "
            + "AND server_key = :key")
    long idAt(@Bind("mailboxId") long mailboxId, @Bind("folder") String folder, @Bind("validity") long validity,
              @Bind("key") String serverKey);

    @SqlUpdate("UPDATE messages SET tags = :tags WHERE id = :id")
    void setTags(@Bind("id") long id, @Bind("tags") String[] tags);
}
