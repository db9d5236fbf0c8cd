package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a failing mailbox rests: after {@code n} failures in a row, until its last sync plus
 * {@code pollFrequency * 2^n}, at most an hour. Scheduled runs before then are skipped, so a
 * broken mailbox costs one cheap check per firing and never holds a thread another needs.
 */
public record Backoff(Duration pollFrequency) {

    static final Duration MAX = Duration.ofHours(1);

    /** When the mailbox may be synced again by the schedule; empty when it is not backing off. */
    public Optional<Instant> until(Mailbox mailbox) {
        if (mailbox.consecutiveFailures() <= 0 || mailbox.lastSyncAt() == null) {
            return Optional.empty();
        }
        int doublings = Math.min(mailbox.consecutiveFailures(), 20);
        Duration rest = pollFrequency.multipliedBy(1L << doublings);
        return Optional.of(mailbox.lastSyncAt().plus(rest.compareTo(MAX) > 0 ? MAX : rest));
    }

    public boolean waiting(Mailbox mailbox, Instant now) {
        return until(mailbox).filter(now::isBefore).isPresent();
    }
}
