package io.mailroom.host.mailboxes;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * What a mailbox's cron {@code schedule} must be: a Quartz cron expression that fires at all,
 * and never twice within {@code mailroom.schedule.min.interval}, so one mailbox cannot make
 * the cluster poll a server every second.
 *
 * <p>Quartz fires at the same times of day on every day it fires, so the smallest gap shows
 * within a few firing days (between two of a day's times, or from one day's last to the next
 * day's first); the walk looks at up to {@link #MAX_FIRINGS} firings or a month (which holds
 * month-end pairs such as {@code 1,L}), whichever comes first, and stops at the first gap that
 * is too small. It is cheap enough for every save and every start's reconcile.
 */
public final class CronRules {

    private static final int MAX_FIRINGS = 5_000;
    private static final Duration HORIZON = Duration.ofDays(32);

    private CronRules() {
    }

    /** Why the expression cannot be a schedule, or empty when it can. */
    public static Optional<String> problem(String expression, Duration minInterval, Instant now) {
        CronExpression cron;
        try {
            cron = new CronExpression(expression);
        } catch (ParseException e) {
            return Optional.of("schedule must be a Quartz cron expression with seconds, like '0 */5 * * * ?': "
                    + e.getMessage());
        }
        Date previous = cron.getNextValidTimeAfter(Date.from(now));
        if (previous == null) {
            return Optional.of("schedule '" + expression + "' never fires again");
        }
        Instant end = now.plus(HORIZON);
        for (int i = 0; i < MAX_FIRINGS && previous.toInstant().isBefore(end); i++) {
            Date next = cron.getNextValidTimeAfter(previous);
            if (next == null) {
                break;
            }
            Duration gap = Duration.between(previous.toInstant(), next.toInstant());
            if (gap.compareTo(minInterval) < 0) {
                return Optional.of("schedule '" + expression + "' fires " + gap.toSeconds()
                        + " s apart; the least allowed is " + minInterval.toSeconds()
                        + " s (mailroom.schedule.min.interval)");
            }
            previous = next;
        }
        return Optional.empty();
    }
}
