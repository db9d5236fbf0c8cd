package io.mailroom.host.oauth;

import io.mailroom.host.mailboxes.GrantDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes grants that nothing used lately (a disabled schedule, a mailbox that only pushes, a
 * long pause), so refresh tokens that lapse when unused (Microsoft's after 90 days) stay alive.
 * Every node runs it; the grant's row lock and the refreshed-at check make one node do each.
 */
public final class RefreshJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshJob.class);
    /** A grant not refreshed for this long is refreshed by the job. */
    static final Duration STALE = Duration.ofDays(7);
    private static final int BATCH = 100;

    private final Jdbi jdbi;
    private final OAuthTokens tokens;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mailroom-oauth-refresh").daemon().factory());

    public RefreshJob(Jdbi jdbi, OAuthTokens tokens, Clock clock) {
        this.jdbi = jdbi;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Runs every {@code every}, first after one period. */
    public RefreshJob start(Duration every) {
        timer.scheduleWithFixedDelay(this::runSafely, every.toSeconds(), every.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** One round: every stale grant once. */
    public void run() {
        for (long mailboxId : jdbi.onDemand(GrantDao.class).stale(clock.instant().minus(STALE), BATCH)) {
            tokens.keepAlive(mailboxId);
        }
    }

    private void runSafely() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("The periodic OAuth refresh failed; it runs again later: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
