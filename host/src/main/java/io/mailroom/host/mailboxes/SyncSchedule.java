package io.mailroom.host.mailboxes;

import java.time.Instant;
import java.util.Optional;

/**
 * The sync scheduler as the mailbox API uses it. The scheduler ({@code schedule/}) stands above
 * this package and runs the pipeline, so the routes here see it through this interface.
 */
public interface SyncSchedule extends SyncJobs {

    /** The mailbox's job id as the API shows it. */
    String jobId(long mailboxId);

    /** Fires the mailbox's job now, on whichever node takes it first. */
    void runNow(Mailbox mailbox);

    /** Queues a sync asked for while the sync bounds were full, recorded in the queued poll {@code pollId}. */
    void queue(Mailbox mailbox, long pollId);

    /** When the schedule next syncs the mailbox; empty for a mailbox with no job. */
    Optional<Instant> nextSyncAt(Mailbox mailbox);
}
