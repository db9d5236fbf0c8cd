package io.mailroom.host.notifications;

import java.time.Instant;

/** Something a user is told about, e.g. {@code credentials_failed} for a mailbox. */
public record Notification(long id, long userId, String kind, Long mailboxId, String message, Instant createdAt) {
}
