package io.mailroom.host.mailboxes;

import java.util.Optional;

/**
 * Runs a mailbox's sync on the caller's thread ({@code POST /api/mailboxes/{id}/sync?wait=true}).
 * The pipeline stands above this package, so the routes here see it through this interface.
 */
@FunctionalInterface
public interface SyncNow {

    /** Syncs the mailbox now and returns the run's poll, or empty when another run holds the mailbox. */
    Optional<Poll> run(long mailboxId);
}
