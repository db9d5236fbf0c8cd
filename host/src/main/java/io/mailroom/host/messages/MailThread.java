package io.mailroom.host.messages;

import java.time.Instant;
import java.util.List;

/** A conversation within one mailbox. */
public record MailThread(long id, long mailboxId, String subject, List<String> participants, int messageCount,
                         Instant lastMessageAt) {
}
