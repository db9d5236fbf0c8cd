package io.mailroom.host.mailboxes;

import java.time.Instant;
import java.util.List;

/**
 * One sync run of a mailbox, as the poll log shows it. While it runs, {@code found} and
 * {@code stored} grow with each committed batch toward {@code total}, the messages the run means
 * to read; {@code continues}: it stopped after its time slice with mail left, and the next run
 * goes on at once.
 */
public record Poll(long id, long mailboxId, Instant startedAt, Instant finishedAt, String status, int found,
                   int stored, int skipped, int quarantined, int total, boolean continues, String error,
                   List<String> events) {
}
