package io.mailroom.plugins.ticketing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mail from an unknown sender that made no ticket: left flagged in the inbox until someone
 * creates a ticket from it or dismisses it. Keeps what creating the ticket later needs, with the
 * mailbox's sink settings at the time it arrived.
 *
 * @param state {@code pending}, {@code created} or {@code dismissed}
 */
public record ReviewItem(long messageId, long mailboxId, String messageIdHeader, String fromEmail, String fromName,
                         String subject, Instant receivedAt, String state, String refPrefix, boolean acknowledge,
                         Long ackTemplateId, Long ticketId) {

    public static final String PENDING = "pending";
    public static final String CREATED = "created";
    public static final String DISMISSED = "dismissed";

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message_id", messageId);
        json.put("mailbox_id", mailboxId);
        json.put("message_id_header", messageIdHeader);
        json.put("from", Map.of("name", fromName, "email", fromEmail));
        json.put("subject", subject);
        json.put("received_at", receivedAt.toString());
        json.put("state", state);
        return json;
    }
}
