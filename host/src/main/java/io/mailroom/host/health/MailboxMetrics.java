package io.mailroom.host.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.mailroom.host.mailboxes.Poll;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Per-mailbox metrics for {@code /metrics}, tagged {@code mailbox=<id>}: what each sync did
 * (duration, messages stored, failures) as it finishes, and how each mailbox stands (age of its
 * last success, failures in a row, backlog) read from the database when metrics are scraped.
 * The backlog reads the per-folder message counts that triggers keep (V14): a scrape reads a
 * row per folder, never the messages.
 */
public final class MailboxMetrics {

    private final Jdbi jdbi;
    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge lastSuccessAge;
    private final MultiGauge failuresInARow;
    private final MultiGauge backlog;

    public MailboxMetrics(Jdbi jdbi, MeterRegistry registry, Clock clock) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.clock = clock;
        this.lastSuccessAge = MultiGauge.builder("mailroom.mailbox.last.success.age").baseUnit("seconds")
                .description("Seconds since the mailbox's last successful sync").register(registry);
        this.failuresInARow = MultiGauge.builder("mailroom.mailbox.consecutive.failures")
                .description("Failed syncs of the mailbox since its last success").register(registry);
        this.backlog = MultiGauge.builder("mailroom.mailbox.backlog")
                .description("Messages on the server not stored yet, by the last folder listing").register(registry);
    }

    /** Records a finished sync, and logs it when it did its work ({@link SyncLog}). */
    public void recordPoll(Poll poll) {
        SyncLog.finished(poll, jdbi.onDemand(MailboxDao.class).find(poll.mailboxId()));
        Tags mailbox = Tags.of("mailbox", Long.toString(poll.mailboxId()));
        if (poll.finishedAt() != null) {
            Timer.builder("mailroom.sync.duration").tags(mailbox).register(registry)
                    .record(Duration.between(poll.startedAt(), poll.finishedAt()));
        }
        Counter.builder("mailroom.sync.messages.stored").tags(mailbox).register(registry).increment(poll.stored());
        if (poll.status().equals("failed")) {
            Counter.builder("mailroom.sync.failures").tags(mailbox).register(registry).increment();
        }
    }

    /** Shows how many folders this node watches for push. */
    public void watchPushConnections(Supplier<Number> connections) {
        Gauge.builder("mailroom.push.connections", connections).description("Folders watched for new mail (IMAP IDLE)")
                .register(registry);
    }

    /** Reads each mailbox's standing; called before each scrape. */
    public void refresh() {
        var rows = jdbi.onDemand(MailboxDao.class).health();
        long now = clock.millis();
        lastSuccessAge.register(rows.stream().filter(row -> row.lastSuccessAt() != null)
                .map(row -> MultiGauge.Row.of(Tags.of("mailbox", Long.toString(row.id())),
                        (now - row.lastSuccessAt().toEpochMilli()) / 1000.0)).toList(), true);
        failuresInARow.register(rows.stream().map(row -> MultiGauge.Row.of(Tags.of("mailbox", Long.toString(row.id())),
                row.consecutiveFailures())).toList(), true);
        backlog.register(rows.stream().map(row -> MultiGauge.Row.of(Tags.of("mailbox", Long.toString(row.id())),
                row.backlog())).toList(), true);
    }
}
