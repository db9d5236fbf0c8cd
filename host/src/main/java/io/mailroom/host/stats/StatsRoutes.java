package io.mailroom.host.stats;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.QueryParams;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.Mailboxes;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/stats}: per mailbox and UTC day, mail received, sent, quarantined, bounced and
 * skipped, for the caller's mailboxes (every mailbox for a superadmin). {@code ?since=} and
 * {@code ?until=} are days ({@code 2026-11-30}, both included; default the last 30 days up to
 * today), at most {@link #MAX_DAYS} apart, so one request reads a bounded range. Only days with
 * something to count are listed, oldest first; {@code totals} sums the whole selection, every page.
 */
public final class StatsRoutes implements RouteGroup {

    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 30;

    private final Jdbi jdbi;
    private final Clock clock;

    public StatsRoutes(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/stats", this::stats);
    }

    private void stats(Context ctx) {
        User caller = Authentication.caller(ctx);
        Long viewer = Mailboxes.viewer(caller);
        Long mailboxId = QueryParams.optionalLong(ctx, "mailbox_id");
        LocalDate until = QueryParams.optionalDay(ctx, "until");
        LocalDate since = QueryParams.optionalDay(ctx, "since");
        PageRequest page = PageRequest.from(ctx);
        if (until == null) {
            until = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        }
        if (since == null) {
            since = until.minusDays(DEFAULT_DAYS - 1);
        }
        if (since.isAfter(until)) {
            throw ApiException.invalid("since", "since must not be after until");
        }
        if (ChronoUnit.DAYS.between(since, until) + 1 > MAX_DAYS) {
            throw ApiException.invalid("since", "since and until may span at most " + MAX_DAYS + " days");
        }
        if (mailboxId != null && jdbi.onDemand(MailboxDao.class).findVisible(mailboxId, viewer).isEmpty()) {
            throw ApiException.notFound("mailbox " + mailboxId);
        }
        StatsDao dao = jdbi.onDemand(StatsDao.class);
        StatsDao.Totals totals = dao.totals(viewer, mailboxId, since, until);
        Page<DailyCounts> items = page.pageAtOffset(dao.page(viewer, mailboxId, since, until, page.offset(),
                page.fetchSize()), totals.rowCount());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.items());
        body.put("next_cursor", items.nextCursor());
        body.put("total", items.total());
        body.put("since", since);
        body.put("until", until);
        Map<String, Long> sums = new LinkedHashMap<>();
        sums.put("received", totals.received());
        sums.put("sent", totals.sent());
        sums.put("quarantined", totals.quarantined());
        sums.put("bounced", totals.bounced());
        sums.put("skipped", totals.skipped());
        body.put("totals", sums);
        ctx.json(body);
    }
}
