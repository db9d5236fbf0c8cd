package io.mailroom.plugins.ticketing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message filed on a ticket.
 *
 * @param messageId       Mailroom's id of the stored message (inbound, or outbound as queued)
 * @param messageIdHeader its Message-ID without angle brackets, or null (outbound mail: the host
 *                        makes the header when it sends)
 * @param direction       {@code inbound} or {@code outbound}
 * @param followup        what is still owed for it after the commit ({@code acknowledge},
 *                        {@code closed_response}), or null
 */
public record TicketMessage(long id, long ticketId, Long messageId, String messageIdHeader, String direction,
                            String followup, Instant createdAt) {

    public static final String INBOUND = "inbound";
    public static final String OUTBOUND = "outbound";
    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String CLOSED_RESPONSE = "closed_response";

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message_id", messageId);
        json.put("message_id_header", messageIdHeader);
        json.put("direction", direction);
        json.put("filed_at", createdAt.toString());
        return json;
    }
}
