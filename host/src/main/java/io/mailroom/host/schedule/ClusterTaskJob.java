package io.mailroom.host.schedule;

import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.TimeZone;

/**
 * The Quartz job of a {@link ClusterTask}: the clustered job store fires each firing on one node,
 * and no two runs of it overlap across the cluster. A missed firing (every node down at the
 * time) runs once when a node is back. A failure is logged; the next firing runs again.
 */
@DisallowConcurrentExecution
final class ClusterTaskJob implements Job {

    static final String GROUP = "service";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTaskJob.class);

    private final ClusterTask task;

    ClusterTaskJob(ClusterTask task) {
        this.task = task;
    }

    static JobKey jobKey(String name) {
        return JobKey.jobKey("service:" + name, GROUP);
    }

    static JobDetail job(ClusterTask task) {
        return JobBuilder.newJob(ClusterTaskJob.class).withIdentity(jobKey(task.name())).storeDurably().build();
    }

    static Trigger trigger(ClusterTask task) {
        return TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey("service:" + task.name(), GROUP))
                .forJob(jobKey(task.name())).withSchedule(CronScheduleBuilder.cronSchedule(task.cron())
                        .inTimeZone(TimeZone.getTimeZone("UTC")).withMisfireHandlingInstructionFireAndProceed())
                .build();
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            task.work().run();
        } catch (RuntimeException e) {
            LOG.error("The scheduled {} failed; it runs again at its next time: {}", task.name(), e.getMessage(), e);
        }
    }
}
