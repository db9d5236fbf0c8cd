package io.mailroom.plugins.ticketing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The review list: mail from unknown senders that made no ticket. */
final class ReviewStore {

    private static final String COLUMNS = "message_id, mailbox_id, message_id_header, from_email, from_name, subject,"
            + " received_at, state, ref_prefix, acknowledge, ack_template_id, ticket_id";

    private final Connection connection;

    ReviewStore(Connection connection) {
        this.connection = connection;
    }

    void add(ReviewItem item) throws SQLException {
        Jdbc.update(connection, "INSERT INTO review_items (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                item.messageId(), item.mailboxId(), item.messageIdHeader(), item.fromEmail(), item.fromName(),
                item.subject(), item.receivedAt(), item.state(), item.refPrefix(), item.acknowledge(),
                item.ackTemplateId(), item.ticketId());
    }

    Optional<ReviewItem> byMessageId(long messageId) throws SQLException {
        return Jdbc.one(connection, "SELECT " + COLUMNS + " FROM review_items WHERE message_id = ?",
                ReviewStore::item, messageId);
    }

    /** Locks the row against a second decision made at the same moment. */
    Optional<ReviewItem> byMessageIdForUpdate(long messageId) throws SQLException {
        return Jdbc.one(connection, "SELECT " + COLUMNS + " FROM review_items WHERE message_id = ? FOR UPDATE",
                ReviewStore::item, messageId);
    }

    Optional<ReviewItem> byHeader(long mailboxId, String messageIdHeader) throws SQLException {
        return Jdbc.one(connection, "SELECT " + COLUMNS + " FROM review_items"
                + " WHERE mailbox_id = ? AND message_id_header = ?", ReviewStore::item, mailboxId, messageIdHeader);
    }

    /** Pending items after {@code afterMessageId}, oldest first; {@code mailboxIds} null = every mailbox. */
    List<ReviewItem> pending(Long[] mailboxIds, long afterMessageId, int limit) throws SQLException {
        if (mailboxIds == null) {
            return Jdbc.list(connection, "SELECT " + COLUMNS + " FROM review_items WHERE state = 'pending'"
                    + " AND message_id > ? ORDER BY message_id LIMIT ?", ReviewStore::item, afterMessageId, limit);
        }
        return Jdbc.list(connection, "SELECT " + COLUMNS + " FROM review_items WHERE state = 'pending'"
                        + " AND mailbox_id = ANY(?) AND message_id > ? ORDER BY message_id LIMIT ?",
                ReviewStore::item, mailboxIds, afterMessageId, limit);
    }

    long countPending(Long[] mailboxIds) throws SQLException {
        if (mailboxIds == null) {
            return Jdbc.one(connection, "SELECT count(*) FROM review_items WHERE state = 'pending'",
                    row -> row.getLong(1)).orElse(0L);
        }
        return Jdbc.one(connection, "SELECT count(*) FROM review_items WHERE state = 'pending'"
                + " AND mailbox_id = ANY(?)", row -> row.getLong(1), (Object) mailboxIds).orElse(0L);
    }

    void decide(long messageId, String state, Long ticketId, Instant now) throws SQLException {
        Jdbc.update(connection, "UPDATE review_items SET state = ?, ticket_id = ?, decided_at = ? WHERE message_id = ?",
                state, ticketId, now, messageId);
    }

    private static ReviewItem item(ResultSet row) throws SQLException {
        return new ReviewItem(row.getLong("message_id"), row.getLong("mailbox_id"), row.getString("message_id_header"),
                row.getString("from_email"), row.getString("from_name"), row.getString("subject"),
                Jdbc.instant(row, "received_at"), row.getString("state"), row.getString("ref_prefix"),
                row.getBoolean("acknowledge"), Jdbc.nullableLong(row, "ack_template_id"),
                Jdbc.nullableLong(row, "ticket_id"));
    }
}
