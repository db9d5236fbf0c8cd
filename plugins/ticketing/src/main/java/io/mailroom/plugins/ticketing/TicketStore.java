package io.mailroom.plugins.ticketing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tickets table and the messages filed on tickets, on one connection (the caller's transaction). */
final class TicketStore {

    private static final String TICKET_COLUMNS = "id, ref, mailbox_id, subject, status, contact_id, company_id,"
            + " requester_email, requester_name, created_at, updated_at, closed_at";
    private static final String MESSAGE_COLUMNS =
            "id, ticket_id, message_id, message_id_header, direction, followup, created_at";

    private final Connection connection;

    TicketStore(Connection connection) {
        this.connection = connection;
    }

    /** A new open ticket numbered from the sequence. */
    Ticket create(long mailboxId, String refPrefix, String subject, Requester requester, Instant now)
            throws SQLException {
        return Jdbc.one(connection, "INSERT INTO tickets (ref, mailbox_id, subject, status, contact_id, company_id,"
                        + " requester_email, requester_name, created_at, updated_at)"
                        + " VALUES (? || '-' || nextval('ticket_number'), ?, ?, 'open', ?, ?, ?, ?, ?, ?)"
                        + " RETURNING " + TICKET_COLUMNS,
                TicketStore::ticket, refPrefix, mailboxId, subject, requester.contactId(), requester.companyId(),
                requester.email(), requester.name(), now, now).orElseThrow();
    }

    Optional<Ticket> byId(long id) throws SQLException {
        return Jdbc.one(connection, "SELECT " + TICKET_COLUMNS + " FROM tickets WHERE id = ?", TicketStore::ticket, id);
    }

    Optional<Ticket> byRef(String ref) throws SQLException {
        return Jdbc.one(connection, "SELECT " + TICKET_COLUMNS + " FROM tickets WHERE ref = ?", TicketStore::ticket,
                ref);
    }

    /** The ticket of this mailbox with one of these Message-IDs filed on it; the latest updated wins. */
    Optional<Ticket> byMessageIdHeaders(long mailboxId, List<String> headers) throws SQLException {
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        return Jdbc.one(connection, "SELECT " + prefixed("t.") + " FROM tickets t JOIN ticket_messages m"
                        + " ON m.ticket_id = t.id WHERE m.mailbox_id = ? AND m.message_id_header = ANY(?)"
                        + " ORDER BY t.updated_at DESC, t.id DESC LIMIT 1",
                TicketStore::ticket, mailboxId, headers.toArray(String[]::new));
    }

    void setStatus(long ticketId, String status, Instant now) throws SQLException {
        Jdbc.update(connection, "UPDATE tickets SET status = ?, updated_at = ?,"
                + " closed_at = CASE WHEN ? = 'closed' THEN ?::timestamptz END WHERE id = ?",
                status, now, status, now, ticketId);
    }

    void touch(long ticketId, Instant now) throws SQLException {
        Jdbc.update(connection, "UPDATE tickets SET updated_at = ? WHERE id = ?", now, ticketId);
    }

    /**
     * Files a message; a message already filed (same Mailroom id) is left as it is. {@code parents}:
     * the Message-IDs it answers ({@link MessageIds#parentsOf}).
     */
    Optional<TicketMessage> file(Ticket ticket, Long messageId, String messageIdHeader, List<String> parents,
                                 String direction, String followup, Instant now) throws SQLException {
        Optional<TicketMessage> filed = Jdbc.one(connection, "INSERT INTO ticket_messages (ticket_id, mailbox_id,"
                        + " message_id, message_id_header, parent_headers, direction, followup, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING " + MESSAGE_COLUMNS,
                TicketStore::message, ticket.id(), ticket.mailboxId(), messageId, messageIdHeader,
                parents.toArray(String[]::new), direction, followup, now);
        if (filed.isPresent()) {
            touch(ticket.id(), now);
        }
        return filed;
    }

    /**
     * The ticket opened by a reply to {@code header} that was filed before it, when that ticket's
     * requester is {@code sender}: the late parent belongs there. Another sender's mail never
     * joins by this way, so a reply quoting a Message-ID cannot draw that mail into its ticket.
     */
    Optional<Ticket> byFiledReply(long mailboxId, String header, String sender) throws SQLException {
        return Jdbc.one(connection, "SELECT " + prefixed("t.") + " FROM tickets t JOIN ticket_messages m"
                        + " ON m.ticket_id = t.id WHERE m.mailbox_id = ? AND m.parent_headers @> ARRAY[?]::text[]"
                        + " AND lower(t.requester_email) = lower(?) ORDER BY t.updated_at DESC, t.id DESC LIMIT 1",
                TicketStore::ticket, mailboxId, header, sender);
    }

    Optional<TicketMessage> messageByMessageId(long messageId) throws SQLException {
        return Jdbc.one(connection, "SELECT " + MESSAGE_COLUMNS + " FROM ticket_messages WHERE message_id = ?",
                TicketStore::message, messageId);
    }

    Optional<TicketMessage> messageByHeader(long mailboxId, String messageIdHeader) throws SQLException {
        return Jdbc.one(connection, "SELECT " + MESSAGE_COLUMNS + " FROM ticket_messages"
                        + " WHERE mailbox_id = ? AND message_id_header = ?",
                TicketStore::message, mailboxId, messageIdHeader);
    }

    List<TicketMessage> messagesOf(long ticketId) throws SQLException {
        return Jdbc.list(connection, "SELECT " + MESSAGE_COLUMNS + " FROM ticket_messages WHERE ticket_id = ?"
                + " ORDER BY id", TicketStore::message, ticketId);
    }

    /** The Mailroom id of the ticket's latest inbound message, to reply to. */
    Optional<Long> latestInbound(long ticketId) throws SQLException {
        return Jdbc.one(connection, "SELECT message_id FROM ticket_messages WHERE ticket_id = ?"
                + " AND direction = 'inbound' AND message_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                row -> row.getLong(1), ticketId);
    }

    void clearFollowup(long ticketMessageId) throws SQLException {
        Jdbc.update(connection, "UPDATE ticket_messages SET followup = NULL WHERE id = ?", ticketMessageId);
    }

    /**
     * One page of tickets, newest first.
     *
     * @param mailboxIds the mailboxes the caller may see, or null for all
     * @param beforeId   the cursor: tickets with a smaller id, or null for the first page
     */
    List<Ticket> list(TicketQuery query, Long[] mailboxIds, Long beforeId, int limit) throws SQLException {
        List<Object> parameters = new ArrayList<>();
        String where = query.where(mailboxIds, parameters);
        if (beforeId != null) {
            where += " AND id < ?";
            parameters.add(beforeId);
        }
        parameters.add(limit);
        return Jdbc.list(connection, "SELECT " + TICKET_COLUMNS + " FROM tickets WHERE " + where
                + " ORDER BY id DESC LIMIT ?", TicketStore::ticket, parameters.toArray());
    }

    long count(TicketQuery query, Long[] mailboxIds) throws SQLException {
        List<Object> parameters = new ArrayList<>();
        String where = query.where(mailboxIds, parameters);
        return Jdbc.one(connection, "SELECT count(*) FROM tickets WHERE " + where, row -> row.getLong(1),
                parameters.toArray()).orElse(0L);
    }

    private static String prefixed(String alias) {
        return alias + TICKET_COLUMNS.replace(", ", ", " + alias);
    }

    private static Ticket ticket(ResultSet row) throws SQLException {
        return new Ticket(row.getLong("id"), row.getString("ref"), row.getLong("mailbox_id"), row.getString("subject"),
                row.getString("status"), Jdbc.nullableLong(row, "contact_id"), Jdbc.nullableLong(row, "company_id"),
                row.getString("requester_email"), row.getString("requester_name"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"), Jdbc.instant(row, "closed_at"));
    }

    private static TicketMessage message(ResultSet row) throws SQLException {
        return new TicketMessage(row.getLong("id"), row.getLong("ticket_id"), Jdbc.nullableLong(row, "message_id"),
                row.getString("message_id_header"), row.getString("direction"), row.getString("followup"),
                Jdbc.instant(row, "created_at"));
    }
}
