package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the cluster's scheduler next syncs a mailbox, read straight from Quartz's tables, for
 * tools that do not run a scheduler themselves ({@code mailroom monitor}). A back-off moves it
 * to the end of the rest (the exact next firing after it is the scheduler's own answer).
 */
public final class NextSyncs {

    private final Jdbi jdbi;
    private final Backoff backoff;

    public NextSyncs(Jdbi jdbi, Duration pollFrequency) {
        this.jdbi = jdbi;
        this.backoff = new Backoff(pollFrequency);
    }

    public Optional<Instant> of(Mailbox mailbox) {
        if (!mailbox.enabled()) {
            return Optional.empty();
        }
        Optional<Instant> next = jdbi.onDemand(ServiceStateDao.class)
                .nextFireTime(SyncScheduler.CLUSTER, MailboxJobs.GROUP, MailboxJobs.jobId(mailbox.id()))
                .map(Instant::ofEpochMilli);
        Optional<Instant> rest = backoff.until(mailbox);
        return next.map(at -> rest.filter(at::isBefore).orElse(at));
    }
}
