package io.mailroom.host.messages;

import java.time.Instant;
import java.util.List;

/**
 * A stored message as the API reads it; addresses and headers are JSON text. One row is one
 * place the message is on the server; {@code postActionError} says why its server actions
 * (mark seen, move) were given up, or is null.
 */
public record StoredMessage(long id, long mailboxId, String folder, long uidValidity, String serverKey, Long uid,
                            String contentHash, long size, String messageId, String inReplyTo, List<String> refs,
                            Long threadId, String direction, String fromName, String fromEmail, String toAddresses,
                            String ccAddresses, String subject, Instant sentAt, Instant receivedAt, List<String> flags,
                            String textBody, String htmlBody, String classification, String status,
                            List<String> tags, boolean deletedOnServer, String postActionError) {
}
