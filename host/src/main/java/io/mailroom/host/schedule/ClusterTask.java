package io.mailroom.host.schedule;

/**
 * Work the cluster does on a schedule, once per firing on one node (not once per node), such as
 * the daily housekeeping: its Quartz job {@code service:<name>}, its cron in UTC.
 */
public record ClusterTask(String name, String cron, Runnable work) {
}
