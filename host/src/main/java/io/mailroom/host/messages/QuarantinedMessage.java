package io.mailroom.host.messages;

import java.time.Instant;

/** A message that could not be processed, kept with its raw bytes until it is retried. */
public record QuarantinedMessage(long id, long mailboxId, String folder, long uidValidity, String serverKey,
                                 String contentHash, long size, String reason, Instant receivedAt) {
}
