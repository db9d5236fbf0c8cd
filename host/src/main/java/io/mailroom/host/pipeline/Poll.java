package io.mailroom.host.pipeline;

import java.time.Instant;
import java.util.List;

/** One sync run of a mailbox, as the poll log shows it. */
public record Poll(long id, long mailboxId, Instant startedAt, Instant finishedAt, String status, int found,
                   int stored, int skipped, int quarantined, String error, List<String> events) {
}
