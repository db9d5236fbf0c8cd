package io.mailroom.host.messages;

import java.time.Instant;
import java.util.List;

/** A parsed message ready to be stored, where it was found, and the thread it joins. */
public record NewMessage(long mailboxId, String folder, long uidValidity, String serverKey, Long uid,
                         String contentHash, long size, String messageId, String inReplyTo, List<String> refs,
                         long threadId, String fromName, String fromEmail, String toJson, String ccJson,
                         String subject, Instant sentAt, Instant receivedAt, List<String> flags, String textBody,
                         String htmlBody, String headersJson, String classification) {
}
