package io.mailroom.host.filters;

import java.time.Instant;
import java.util.List;

/** A stored message as a preview reads it: where it is, its raw bytes' hash, and what is not in the bytes. */
public record PreviewCandidate(long id, long mailboxId, String folder, String contentHash, long size,
                               String classification, String direction, List<String> tags, Instant receivedAt,
                               String fromEmail, String subject, Instant sentAt) {
}
