package io.mailroom.host.mailboxes;

/**
 * Fetches a message the mailbox passed over and stores it after all
 * ({@code POST /api/mailboxes/{id}/skipped/{key}/take}). The pipeline stands above this package,
 * so the routes here see it through this interface.
 */
@FunctionalInterface
public interface TakeSkipped {

    /**
     * Reads the message from the server and stores it as a sync would (or quarantines it when it
     * cannot be parsed); its skipped record is gone afterwards.
     *
     * @throws io.mailroom.host.errors.ApiException 404 when the server no longer has it, 409 while
     *         a sync runs or when it is larger than the host takes
     */
    Taken take(Mailbox mailbox, SkippedDao.Skipped skipped);

    /** What became of it: {@code stored} (a message id) or {@code quarantined} (a quarantine id). */
    record Taken(String status, long id) {
    }
}
