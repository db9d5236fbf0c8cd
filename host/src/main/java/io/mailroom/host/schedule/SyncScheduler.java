package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.SyncSchedule;
import io.mailroom.host.mailboxes.SyncSlots;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * Quartz, clustered on Mailroom's database: one job per enabled mailbox. Every node that runs
 * {@code serve} runs one; they share the jobs through the {@code qrtz_} tables, and Quartz fires
 * each trigger on one node only. Jobs follow the mailboxes: {@link #update} after a mailbox is
 * created or changed, {@link #remove} after it is deleted, {@link #reconcile} on start.
 *
 * <p>Lifecycle: {@link #start} schedules and starts; {@link #close} stops firing and waits for
 * running syncs, which end at the latest when their source's read timeout does.
 */
public final class SyncScheduler implements SyncSchedule, AutoCloseable {

    /** The scheduler's name in the {@code qrtz_} tables: the same on every node, so they form one cluster. */
    static final String CLUSTER = "mailroom";
    private static final int THREADS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final Scheduler quartz;
    private final Jdbi jdbi;
    private final MailboxJobs jobs;
    private final Backoff backoff;
    private final Clock clock;

    private SyncScheduler(Scheduler quartz, Jdbi jdbi, MailboxJobs jobs, Backoff backoff, Clock clock) {
        this.quartz = quartz;
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.backoff = backoff;
        this.clock = clock;
    }

    /**
     * Joins the cluster, makes the jobs match the mailboxes table, schedules the cluster's own work
     * ({@link ClusterTask}: the daily housekeeping), and starts firing.
     */
    public static SyncScheduler start(DataSource pool, Jdbi jdbi, MailboxSync sync, Maintenance maintenance,
                                      Duration pollFrequency, Duration minScheduleInterval, SyncSlots slots,
                                      Duration slice, Clock clock, List<ClusterTask> tasks) {
        Backoff backoff = new Backoff(pollFrequency);
        String dataSource = "mailroom-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new HostPoolConnections(pool));
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(properties(dataSource));
            Scheduler quartz = factory.getScheduler();
            // Quartz keeps one scheduler per name in a JVM-wide registry; each Mailroom owns its own.
            SchedulerRepository.getInstance().remove(CLUSTER);
            Map<JobKey, ClusterTask> byKey = new java.util.HashMap<>();
            tasks.forEach(task -> byKey.put(ClusterTaskJob.jobKey(task.name()), task));
            quartz.setJobFactory((bundle, scheduler) -> bundle.getJobDetail().getJobClass() == ClusterTaskJob.class
                    ? new ClusterTaskJob(byKey.getOrDefault(bundle.getJobDetail().getKey(),
                            new ClusterTask(bundle.getJobDetail().getKey().getName(), "", () -> LOG.warn(
                                    "{} is not known to this node; skipped", bundle.getJobDetail().getKey().getName()))))
                    : new SyncJob(sync, jdbi, maintenance, backoff, clock, slots, slice));
            SyncScheduler scheduler = new SyncScheduler(quartz, jdbi, new MailboxJobs(pollFrequency, minScheduleInterval),
                    backoff, clock);
            scheduler.reconcile();
            for (ClusterTask task : tasks) {
                scheduler.schedule(task);
            }
            quartz.start();
            return scheduler;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
    }

    private static Properties properties(String dataSource) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("org.quartz.scheduler.instanceName", CLUSTER),
                Map.entry("org.quartz.scheduler.instanceId", "AUTO"),
                Map.entry("org.quartz.scheduler.makeSchedulerThreadDaemon", "true"),
                // Triggers another node adds are seen within this; local changes wake it at once.
                Map.entry("org.quartz.scheduler.idleWaitTime", "10000"),
                Map.entry("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool"),
                Map.entry("org.quartz.threadPool.threadCount", Integer.toString(THREADS)),
                Map.entry("org.quartz.threadPool.makeThreadsDaemons", "true"),
                Map.entry("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX"),
                Map.entry("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"),
                Map.entry("org.quartz.jobStore.dataSource", dataSource),
                Map.entry("org.quartz.jobStore.tablePrefix", "qrtz_"),
                Map.entry("org.quartz.jobStore.useProperties", "true"),
                Map.entry("org.quartz.jobStore.isClustered", "true"),
                Map.entry("org.quartz.jobStore.clusterCheckinInterval", "5000"),
                Map.entry("org.quartz.jobStore.acquireTriggersWithinLock", "true"),
                Map.entry("org.quartz.jobStore.misfireThreshold", "60000")));
        return p;
    }

    /** The job's id as the API shows it. */
    @Override
    public String jobId(long mailboxId) {
        return MailboxJobs.jobId(mailboxId);
    }

    /** Makes the jobs match the mailboxes table: adds missing ones, fixes changed ones, drops orphans. */
    public void reconcile() {
        List<Mailbox> mailboxes = jdbi.onDemand(MailboxDao.class).all();
        Set<JobKey> wanted = new HashSet<>();
        for (Mailbox mailbox : mailboxes) {
            if (mailbox.enabled()) {
                wanted.add(MailboxJobs.jobKey(mailbox.id()));
            }
            try {
                update(mailbox);
            } catch (RuntimeException e) {
                // One bad row (a cron written around the API) must not keep the others unscheduled.
                LOG.error("Mailbox {} cannot be scheduled: {}", mailbox.id(), e.getMessage(), e);
            }
        }
        try {
            List<JobKey> orphans = quartz.getJobKeys(GroupMatcher.jobGroupEquals(MailboxJobs.GROUP)).stream()
                    .filter(key -> !wanted.contains(key)).toList();
            quartz.deleteJobs(orphans);
        } catch (SchedulerException e) {
            throw failure("reconcile the jobs", e);
        }
    }

    /** Schedules a cluster task; a trigger with the same cron is kept, so a restart does not move its next firing. */
    private void schedule(ClusterTask task) throws SchedulerException {
        Trigger wanted = ClusterTaskJob.trigger(task);
        Trigger existing = quartz.getTrigger(wanted.getKey());
        if (existing instanceof org.quartz.CronTrigger cron && cron.getCronExpression().equals(task.cron())
                && "UTC".equals(cron.getTimeZone().getID())) {
            return;
        }
        quartz.scheduleJob(ClusterTaskJob.job(task), Set.of(wanted), true);
        LOG.info("Scheduled {} at '{}' (UTC)", task.name(), task.cron());
    }

    /** Creates, replaces or removes the mailbox's job to match it; an unchanged trigger is kept. */
    @Override
    public void update(Mailbox mailbox) {
        if (!mailbox.enabled()) {
            remove(mailbox.id());
            return;
        }
        try {
            Instant now = clock.instant();
            Optional<Trigger> existing = trigger(mailbox.id());
            if (existing.isPresent() && jobs.matches(existing.get(), mailbox, now)) {
                return;
            }
            if (existing.isPresent()) {
                // One Quartz transaction deletes the old trigger and stores the new one: replacing
                // in place (scheduleJob with replace) keeps the old kind's row (cron vs simple) and
                // breaks the trigger; unschedule-then-schedule leaves no trigger if the second fails.
                quartz.rescheduleJob(existing.get().getKey(), jobs.trigger(mailbox, now));
            } else {
                quartz.scheduleJob(jobs.job(mailbox), Set.of(jobs.trigger(mailbox, now)), true);
            }
            LOG.debug("Scheduled {} ({})", jobId(mailbox.id()), mailbox.schedule() == null ? "every poll frequency" : mailbox.schedule());
        } catch (SchedulerException e) {
            throw failure("schedule mailbox " + mailbox.id(), e);
        }
    }

    /** Removes the mailbox's job; nothing happens when it has none. */
    @Override
    public void remove(long mailboxId) {
        try {
            // deleteJobs, never deleteJob: the latter lists the triggers first and deletes them one
            // by one after, so a one-shot trigger that fired and ended in between made it fail;
            // deleteJobs does it all in one job-store transaction.
            quartz.deleteJobs(List.of(MailboxJobs.jobKey(mailboxId)));
            // Its queued run went with the job's triggers; the poll must not wait forever, nor
            // stand in for the next request's queued run.
            jdbi.onDemand(PollDao.class).dropQueuedOf(mailboxId, "not run: the mailbox was disabled");
        } catch (SchedulerException e) {
            throw failure("unschedule mailbox " + mailboxId, e);
        }
    }

    /** Fires the mailbox's job now, on whichever node takes it first; a back-off does not hold it. */
    @Override
    public void runNow(Mailbox mailbox) {
        try {
            if (!quartz.checkExists(MailboxJobs.jobKey(mailbox.id()))) {
                update(mailbox);
            }
            quartz.triggerJob(MailboxJobs.jobKey(mailbox.id()), new JobDataMap(Map.of(SyncJob.MANUAL, "true")));
        } catch (SchedulerException e) {
            throw failure("trigger mailbox " + mailbox.id(), e);
        }
    }

    /**
     * Queues a sync the API asked for while the sync bounds were full: any node's scheduler
     * runs it, recorded in the queued poll {@code pollId}, once a slot is free.
     */
    @Override
    public void queue(Mailbox mailbox, long pollId) {
        try {
            if (!quartz.checkExists(MailboxJobs.jobKey(mailbox.id()))) {
                update(mailbox);
            }
            quartz.triggerJob(MailboxJobs.jobKey(mailbox.id()), new JobDataMap(Map.of(SyncJob.MANUAL, "true",
                    SyncJob.QUEUED_POLL, Long.toString(pollId))));
        } catch (SchedulerException e) {
            throw failure("queue a sync of mailbox " + mailbox.id(), e);
        }
    }

    /**
     * When the schedule next syncs the mailbox: the trigger's next firing at or after the end
     * of a back-off; empty for a mailbox with no job (disabled).
     */
    @Override
    public Optional<Instant> nextSyncAt(Mailbox mailbox) {
        if (!mailbox.enabled()) {
            return Optional.empty();
        }
        Optional<Trigger> trigger = trigger(mailbox.id());
        if (trigger.isEmpty() || trigger.get().getNextFireTime() == null) {
            return Optional.empty();
        }
        Date next = trigger.get().getNextFireTime();
        Optional<Instant> rest = backoff.until(mailbox);
        if (rest.isPresent() && rest.get().isAfter(next.toInstant())) {
            next = trigger.get().getFireTimeAfter(Date.from(rest.get().minusMillis(1)));
        }
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    private Optional<Trigger> trigger(long mailboxId) {
        try {
            return Optional.ofNullable(quartz.getTrigger(MailboxJobs.triggerKey(mailboxId)));
        } catch (SchedulerException e) {
            throw failure("read the trigger of mailbox " + mailboxId, e);
        }
    }

    private static IllegalStateException failure(String what, SchedulerException e) {
        return new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
    }

    /** Stops firing and waits for the running syncs to finish. */
    @Override
    public void close() {
        try {
            quartz.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("Scheduler did not stop cleanly: {}", e.getMessage(), e);
        }
    }
}
