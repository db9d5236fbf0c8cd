package io.mailroom.plugins.ticketing.webhook;

import io.mailroom.plugins.ticketing.Jdbc;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook sink's queue in the plugin's table {@code webhook_deliveries}. Due rows are
 * claimed by pushing their next attempt a lease ahead ({@code FOR UPDATE SKIP LOCKED}), so two
 * deliveries for one mailbox at the same moment never post the same row twice, and a row claimed
 * by a process that died is due again when the lease ends.
 */
final class WebhookQueue {

    static final Duration LEASE = Duration.ofMinutes(2);
    private static final String COLUMNS = "id, mailbox_id, message_id, body, state, attempts, next_attempt_at,"
            + " last_status, last_error";

    private final DataSource database;

    WebhookQueue(DataSource database) {
        this.database = database;
    }

    /** Queues the message once; a message queued before keeps its row (and its body as first made). */
    void enqueue(long mailboxId, long messageId, String body, Instant now) {
        Jdbc.inTransaction(database, connection -> Jdbc.update(connection,
                "INSERT INTO webhook_deliveries (mailbox_id, message_id, body, state, next_attempt_at, created_at)"
                        + " VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (mailbox_id, message_id) DO NOTHING",
                mailboxId, messageId, body, now, now));
    }

    Delivery find(long mailboxId, long messageId) {
        return Jdbc.inTransaction(database, connection -> Jdbc.one(connection, "SELECT " + COLUMNS
                        + " FROM webhook_deliveries WHERE mailbox_id = ? AND message_id = ?",
                WebhookQueue::delivery, mailboxId, messageId)).orElseThrow();
    }

    /** Claims up to {@code limit} due rows of the mailbox, oldest first. */
    List<Delivery> claimDue(long mailboxId, Instant now, int limit) {
        return Jdbc.inTransaction(database, connection -> Jdbc.list(connection,
                "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id IN (SELECT id FROM webhook_deliveries"
                        + " WHERE mailbox_id = ? AND state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS,
                WebhookQueue::delivery, now.plus(LEASE), mailboxId, now, limit))
                .stream().sorted(Comparator.comparingLong(Delivery::id)).toList();
    }

    void delivered(long id, int status, Instant now) {
        Jdbc.inTransaction(database, connection -> Jdbc.update(connection, "UPDATE webhook_deliveries"
                + " SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL,"
                + " delivered_at = ? WHERE id = ?", status, now, id));
    }

    /** Records a failed attempt: due again at {@code retryAt}, or given up when that is null. */
    void attemptFailed(long id, Integer status, String error, Instant retryAt, Instant now) {
        Jdbc.inTransaction(database, connection -> Jdbc.update(connection, "UPDATE webhook_deliveries"
                        + " SET attempts = attempts + 1, last_status = ?, last_error = ?,"
                        + " state = CASE WHEN ?::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,"
                        + " next_attempt_at = COALESCE(?::timestamptz, ?) WHERE id = ?",
                status, error, retryAt, retryAt, now, id));
    }

    private static Delivery delivery(ResultSet row) throws SQLException {
        Long status = Jdbc.nullableLong(row, "last_status");
        return new Delivery(row.getLong("id"), row.getLong("mailbox_id"), row.getLong("message_id"),
                row.getString("body"), row.getString("state"), row.getInt("attempts"),
                Jdbc.instant(row, "next_attempt_at"), status == null ? null : status.intValue(),
                row.getString("last_error"));
    }

    /** The ticket the ticketing sink filed this message on, as the webhook shows it, if any. */
    Optional<Map<String, Object>> ticketOf(long messageId) {
        return Jdbc.inTransaction(database, connection -> Jdbc.one(connection,
                "SELECT t.id, t.ref, t.status, t.subject FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id"
                        + " WHERE m.message_id = ?",
                row -> {
                    Map<String, Object> ticket = new LinkedHashMap<>();
                    ticket.put("id", row.getLong("id"));
                    ticket.put("ref", row.getString("ref"));
                    ticket.put("status", row.getString("status"));
                    ticket.put("subject", row.getString("subject"));
                    return ticket;
                }, messageId));
    }
}
