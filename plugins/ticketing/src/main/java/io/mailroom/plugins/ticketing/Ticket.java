package io.mailroom.plugins.ticketing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ticket: a conversation with a requester, opened by their first mail to a mailbox.
 *
 * @param ref            {@code <prefix>-<n>} ({@code TCK-91}), unique in the installation
 * @param contactId      the requester as a directory contact, or null
 * @param companyId      the company the ticket belongs to, or null
 * @param requesterEmail who wrote first (kept when no contact was made)
 */
public record Ticket(long id, String ref, long mailboxId, String subject, String status, Long contactId,
                     Long companyId, String requesterEmail, String requesterName, Instant createdAt,
                     Instant updatedAt, Instant closedAt) {

    public static final String OPEN = "open";
    public static final String CLOSED = "closed";

    public boolean isOpen() {
        return OPEN.equals(status);
    }

    /** The API's form: snake_case keys, ISO-8601 times. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("ref", ref);
        json.put("subject", subject);
        json.put("status", status);
        json.put("mailbox_id", mailboxId);
        json.put("contact_id", contactId);
        json.put("company_id", companyId);
        json.put("requester_email", requesterEmail);
        json.put("requester_name", requesterName);
        json.put("created_at", createdAt.toString());
        json.put("updated_at", updatedAt.toString());
        json.put("closed_at", closedAt == null ? null : closedAt.toString());
        return json;
    }
}
