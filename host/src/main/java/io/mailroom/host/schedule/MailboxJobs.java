package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.CronRules;
import io.mailroom.host.mailboxes.Mailbox;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * The Quartz job and trigger of a mailbox: the job {@code mailbox-sync:{id}}; a cron trigger
 * from its {@code schedule}, else one every poll frequency; Quartz priority from its priority
 * (Mailroom's 0 runs before 10; Quartz runs higher first); a missed firing runs once, now.
 */
final class MailboxJobs {

    static final String GROUP = "mailboxes";
    private static final String PREFIX = "mailbox-sync:";
    private static final int MAX_PRIORITY = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(MailboxJobs.class);

    private final Duration pollFrequency;
    private final Duration minInterval;

    MailboxJobs(Duration pollFrequency, Duration minInterval) {
        this.pollFrequency = pollFrequency;
        this.minInterval = minInterval;
    }

    /**
     * The cron the mailbox's trigger follows: its {@code schedule}, unless that breaks the rules
     * ({@link CronRules}; possible only for a row written around the API or before the rule),
     * in which case the mailbox is polled every poll frequency instead of not at all.
     */
    String cron(Mailbox mailbox, Instant now) {
        if (mailbox.schedule() == null) {
            return null;
        }
        Optional<String> problem = CronRules.problem(mailbox.schedule(), minInterval, now);
        if (problem.isPresent()) {
            LOG.warn("Mailbox {}: {}; polling it every {} s instead", mailbox.id(), problem.get(), pollFrequency.toSeconds());
            return null;
        }
        return mailbox.schedule();
    }

    static String jobId(long mailboxId) {
        return PREFIX + mailboxId;
    }

    static JobKey jobKey(long mailboxId) {
        return JobKey.jobKey(jobId(mailboxId), GROUP);
    }

    static TriggerKey triggerKey(long mailboxId) {
        return TriggerKey.triggerKey(jobId(mailboxId), GROUP);
    }

    /** The mailbox id of a job key, or -1 for a job that is not a mailbox's. */
    static long mailboxId(JobKey key) {
        if (!key.getName().startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(key.getName().substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int quartzPriority(int mailroomPriority) {
        return MAX_PRIORITY - Math.clamp(mailroomPriority, 0, MAX_PRIORITY);
    }

    JobDetail job(Mailbox mailbox) {
        return JobBuilder.newJob(SyncJob.class).withIdentity(jobKey(mailbox.id()))
                .withDescription(mailbox.email()).storeDurably().requestRecovery().build();
    }

    /**
     * The trigger. A periodic one fires a poll frequency after the last sync (at once when that
     * is past); a new mailbox's first run is a poll frequency away too, so that whoever created
     * it can sync it now ({@code POST …/sync?wait=true}) without meeting a scheduled run.
     */
    Trigger trigger(Mailbox mailbox, Instant now) {
        TriggerBuilder<Trigger> trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey(mailbox.id()))
                .forJob(jobKey(mailbox.id())).withPriority(quartzPriority(mailbox.priority()));
        String cron = cron(mailbox, now);
        if (cron != null) {
            return trigger.withSchedule(CronScheduleBuilder.cronSchedule(cron)
                    .withMisfireHandlingInstructionFireAndProceed()).startAt(Date.from(now)).build();
        }
        Instant due = (mailbox.lastSyncAt() == null ? now : mailbox.lastSyncAt()).plus(pollFrequency);
        return trigger.withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(pollFrequency.toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .startAt(Date.from(due.isBefore(now) ? now : due)).build();
    }

    /** Whether a stored trigger already fires as the mailbox asks; then it is kept as it is. */
    boolean matches(Trigger existing, Mailbox mailbox, Instant now) {
        if (existing.getPriority() != quartzPriority(mailbox.priority())) {
            return false;
        }
        String wanted = cron(mailbox, now);
        if (wanted != null) {
            return existing instanceof CronTrigger cron && wanted.equals(cron.getCronExpression());
        }
        return existing instanceof SimpleTrigger simple && simple.getRepeatInterval() == pollFrequency.toMillis()
                && simple.getRepeatCount() == SimpleTrigger.REPEAT_INDEFINITELY;
    }
}
