package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.RouteGroup;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/schedules/preview}: the next run times of a mailbox {@code schedule}, or the
 * 400 a save would give it (the same {@link CronRules}), so a form can show them while it is typed.
 */
public final class SchedulePreviewRoutes implements RouteGroup {

    private static final int SHOWN = 3;

    private final Duration minInterval;
    private final Clock clock;

    public SchedulePreviewRoutes(Duration minInterval, Clock clock) {
        this.minInterval = minInterval;
        this.clock = clock;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/schedules/preview", ctx -> {
            Authentication.caller(ctx);
            JsonNode schedule = ctx.bodyAsClass(JsonNode.class).path("schedule");
            if (!schedule.isTextual() || schedule.asText().isBlank()) {
                throw ApiException.invalid("schedule", "schedule must be a Quartz cron expression, like '0 */5 * * * ?'");
            }
            ctx.json(Map.of("schedule", schedule.asText(), "next", nextRuns(schedule.asText())));
        });
    }

    List<Instant> nextRuns(String expression) {
        Instant now = clock.instant();
        CronRules.problem(expression, minInterval, now).ifPresent(problem -> {
            throw ApiException.invalid("schedule", problem);
        });
        CronExpression cron;
        try {
            cron = new CronExpression(expression);
        } catch (ParseException e) {
            throw ApiException.invalid("schedule", e.getMessage()); // CronRules has refused it already
        }
        List<Instant> next = new ArrayList<>();
        Date at = Date.from(now);
        while (next.size() < SHOWN && (at = cron.getNextValidTimeAfter(at)) != null) {
            next.add(at.toInstant());
        }
        return next;
    }
}
