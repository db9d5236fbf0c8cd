package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.mailboxes.Poll;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import io.mailroom.host.mailboxes.SyncSlots;
import org.jdbi.v3.core.Jdbi;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
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
    /** Job data of a run the API queued: the id of the poll it records in. */
    static final String QUEUED_POLL = "queued_poll";
    /** How long a queued run that found no slot, or its mailbox locked, waits before it tries again. */
    static final Duration RETRY = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);

    private final MailboxSync sync;
    private final Jdbi jdbi;
    private final Maintenance maintenance;
    private final Backoff backoff;
    private final Clock clock;
    private final SyncSlots slots;
    /** How long one run may go before it hands its thread over (mailroom.sync.slice). */
    private final Duration slice;

    SyncJob(MailboxSync sync, Jdbi jdbi, Maintenance maintenance, Backoff backoff, Clock clock, SyncSlots slots,
            Duration slice) {
        this.slots = slots;
        this.slice = slice;
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
        String queued = context.getMergedJobDataMap().getString(QUEUED_POLL);
        if (queued != null) {
            runQueued(context, mailboxId, Long.parseLong(queued));
            return;
        }
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
            Optional<Poll> poll = sync.runFor(mailboxId, slice);
            if (poll.isEmpty()) {
                LOG.debug("Mailbox {}: another sync is running", mailboxId);
            } else if (poll.get().continues()) {
                continueAtOnce(context);
            }
        } catch (RuntimeException e) {
            LOG.warn("Scheduled sync of mailbox {} failed: {}", mailboxId, e.getMessage(), e);
        }
    }

    /**
     * A sync the API queued because the sync bounds were full: it runs when a slot is free and
     * the mailbox is not syncing; until then it is tried again every {@link #RETRY}, as a new
     * one-shot trigger, so waiting holds neither a thread nor a connection.
     */
    private void runQueued(JobExecutionContext context, long mailboxId, long pollId) {
        PollDao polls = jdbi.onDemand(PollDao.class);
        try {
            Optional<Mailbox> mailbox = jdbi.onDemand(MailboxDao.class).find(mailboxId);
            if (mailbox.isEmpty()) {
                return;
            }
            if (!mailbox.get().enabled()) {
                polls.dropQueued(pollId, "not run: the mailbox was disabled");
                return;
            }
            if (maintenance.paused()) {
                polls.dropQueued(pollId, "not run: syncing is paused for maintenance");
                return;
            }
            Optional<SyncSlots.Slot> slot = slots.tryTake(mailbox.get().ownerUserId());
            if (slot.isEmpty()) {
                retryLater(context);
                return;
            }
            try (SyncSlots.Slot held = slot.get()) {
                Optional<Poll> poll = sync.runQueued(mailboxId, pollId, slice);
                if (poll.isEmpty()) {
                    retryLater(context);
                } else if (poll.get().continues()) {
                    continueAtOnce(context);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Queued sync of mailbox {} failed: {}", mailboxId, e.getMessage(), e);
            polls.dropQueued(pollId, "not run: " + e.getMessage());
        }
    }

    /**
     * A run that stopped after its slice with mail left goes on in a new run, as a one-shot
     * trigger due now: Quartz fires it when this run has ended, after the triggers that were
     * due before it (it takes the earliest first), so the mailboxes waiting get their turn.
     */
    private void continueAtOnce(JobExecutionContext context) {
        Trigger next = TriggerBuilder.newTrigger().forJob(context.getJobDetail().getKey())
                .usingJobData(new JobDataMap(Map.of(MANUAL, "true")))
                .withPriority(context.getTrigger().getPriority())
                .startAt(Date.from(clock.instant())).build();
        try {
            context.getScheduler().scheduleJob(next);
        } catch (SchedulerException e) {
            LOG.warn("Mailbox {}: the import goes on at its next scheduled run, the next slice could not be "
                    + "scheduled: {}", MailboxJobs.mailboxId(context.getJobDetail().getKey()), e.getMessage(), e);
        }
    }

    private void retryLater(JobExecutionContext context) {
        Trigger retry = TriggerBuilder.newTrigger().forJob(context.getJobDetail().getKey())
                .usingJobData(context.getTrigger().getJobDataMap())
                .withPriority(context.getTrigger().getPriority())
                .startAt(Date.from(clock.instant().plus(RETRY))).build();
        try {
            context.getScheduler().scheduleJob(retry);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot queue the sync again: " + e.getMessage(), e);
        }
    }
}
