package io.mailroom.host.mailboxes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CronRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration MINUTE = Duration.ofSeconds(60);

    @Test
    void a_schedule_that_fires_within_the_least_interval_is_refused() {
        assertThat(CronRules.problem("* * * * * ?", MINUTE, NOW)).hasValueSatisfying(problem ->
                assertThat(problem).contains("1 s apart").contains("mailroom.schedule.min.interval"));
        assertThat(CronRules.problem("0,30 0 * * * ?", MINUTE, NOW)).isPresent();
        assertThat(CronRules.problem("0 * * * * ?", MINUTE, NOW)).isEmpty();
        assertThat(CronRules.problem("0 */5 * * * ?", MINUTE, NOW)).isEmpty();
    }

    @Test
    void the_gap_from_one_days_last_firing_to_the_next_days_first_counts() {
        String lateAndEarly = "0 0,59 0,23 * * ?";

        assertThat(CronRules.problem(lateAndEarly, MINUTE, NOW)).isEmpty();
        assertThat(CronRules.problem(lateAndEarly, Duration.ofMinutes(2), NOW)).isPresent();
    }

    @Test
    void a_schedule_that_never_fires_again_or_does_not_parse_is_refused() {
        assertThat(CronRules.problem("0 0 0 1 1 ? 2020", MINUTE, NOW)).hasValueSatisfying(problem ->
                assertThat(problem).contains("never fires"));
        assertThat(CronRules.problem("every five minutes", MINUTE, NOW)).hasValueSatisfying(problem ->
                assertThat(problem).contains("Quartz cron expression"));
    }
}
