package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.store.MailboxDao;
import org.jdbi.v3.core.Jdbi;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The Quartz job of one mailbox ({@code mailbox-sync:{id}}): one run of {@link MailboxSync},
 * unless maintenance has paused syncing or the mailbox is resting after failures. Quartz runs
 * a job once at a time across the cluster; the sync's advisory lock also keeps out the API and
 * the command line. A failed run is recorded by the sync itself, so the job never throws.
 */
@DisallowConcurrentExecution
final class SyncJob implements Job {

    /** Job data of a run asked for by someone: it does not wait for a back-off to end. */
    static final String MANUAL = "manual";

    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);

    private final MailboxSync sync;
    private final Jdbi jdbi;
    private final Maintenance maintenance;
    private final Backoff backoff;
    private final Clock clock;

    SyncJob(MailboxSync sync, Jdbi jdbi, Maintenance maintenance, Backoff backoff, Clock clock) {
        this.sync = sync;
        this.jdbi = jdbi;
        this.maintenance = maintenance;
        this.backoff = backoff;
        this.clock = clock;
    }

    @Override
    public void execute(JobExecutionContext context) {
        long mailboxId = MailboxJobs.mailboxId(context.getJobDetail().getKey());
        boolean manual = "true".equals(context.getMergedJobDataMap().getString(MANUAL));
        try {
            if (maintenance.paused()) {
                LOG.debug("Mailbox {}: maintenance pause, not syncing", mailboxId);
                return;
            }
            Optional<Mailbox> mailbox = jdbi.onDemand(MailboxDao.class).find(mailboxId);
            if (mailbox.isEmpty() || !mailbox.get().enabled()) {
                return;
            }
            if (!manual && backoff.waiting(mailbox.get(), clock.instant())) {
                LOG.debug("Mailbox {}: backing off after {} failures", mailboxId, mailbox.get().consecutiveFailures());
                return;
            }
            if (sync.run(mailboxId).isEmpty()) {
                LOG.debug("Mailbox {}: another sync is running", mailboxId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Scheduled sync of mailbox {} failed: {}", mailboxId, e.getMessage(), e);
        }
    }
}
