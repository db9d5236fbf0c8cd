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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Per-mailbox metrics for {@code /metrics}, tagged {@code mailbox=<id>}: what each sync did
 * (duration, messages stored, failures) as it finishes, and how each mailbox stands (age of its
 * last success, failures in a row, backlog) read from the database when metrics are scraped.
 * The backlog reads the per-folder message counts that triggers keep (V14): a scrape reads a
 * row per folder, never the messages.
 */
public final class MailboxMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxMetrics.class);

    private final Jdbi jdbi;
    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge lastSuccessAge;
    private final MultiGauge failuresInARow;
    private final MultiGauge backlog;
    private final MultiGauge status;
    private final MultiGauge quarantined;
    private final MultiGauge refreshFailures;
    private final MultiGauge outbox;
    private final MultiGauge webhooks;
    private final AtomicInteger databaseUp = new AtomicInteger(1);
    private final AtomicLong outboxOldest = new AtomicLong();
    private final AtomicLong webhooksOldest = new AtomicLong();

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
        this.status = MultiGauge.builder("mailroom.mailbox.status")
                .description("1 for the mailbox's status (active, syncing, error, auth_failed, disabled)").register(registry);
        this.quarantined = MultiGauge.builder("mailroom.mailbox.quarantined")
                .description("Messages of the mailbox waiting in quarantine").register(registry);
        this.refreshFailures = MultiGauge.builder("mailroom.mailbox.oauth.refresh.failures")
                .description("Failed refreshes of the mailbox's OAuth tokens since the last success").register(registry);
        this.outbox = MultiGauge.builder("mailroom.outbox.messages")
                .description("Outbound mail not sent yet, by state (queued, sending, failed = given up)").register(registry);
        this.webhooks = MultiGauge.builder("mailroom.webhook.deliveries")
                .description("Rule webhook deliveries not delivered, by state (queued, sending, failed = given up)")
                .register(registry);
        Gauge.builder("mailroom.outbox.oldest.waiting", outboxOldest, AtomicLong::get).baseUnit("seconds")
                .description("How long the oldest outbound mail not sent yet has waited").register(registry);
        Gauge.builder("mailroom.webhook.oldest.waiting", webhooksOldest, AtomicLong::get).baseUnit("seconds")
                .description("How long the oldest rule webhook not delivered yet has waited").register(registry);
        Gauge.builder("mailroom.database.up", databaseUp, AtomicInteger::get)
                .description("1 when the last scrape could read the database, else 0 (the mailbox gauges keep their"
                        + " last values)").register(registry);
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

    /**
     * Reads each mailbox's standing and the queues; called before each scrape. When the database
     * cannot be read, the scrape still answers (JVM metrics, {@code mailroom_database_up 0}).
     */
    public void refresh() {
        List<MailboxDao.Health> rows;
        QueueHealthDao.Queue mail;
        QueueHealthDao.Queue hooks;
        try {
            rows = jdbi.onDemand(MailboxDao.class).health();
            mail = jdbi.onDemand(QueueHealthDao.class).outbox();
            hooks = jdbi.onDemand(QueueHealthDao.class).webhooks();
        } catch (RuntimeException e) {
            databaseUp.set(0);
            LOG.debug("Metrics could not read the database: {}", e.toString());
            return;
        }
        databaseUp.set(1);
        long now = clock.millis();
        lastSuccessAge.register(rows.stream().filter(row -> row.lastSuccessAt() != null)
                .map(row -> MultiGauge.Row.of(mailbox(row), (now - row.lastSuccessAt().toEpochMilli()) / 1000.0))
                .toList(), true);
        failuresInARow.register(perMailbox(rows, MailboxDao.Health::consecutiveFailures), true);
        backlog.register(perMailbox(rows, MailboxDao.Health::backlog), true);
        quarantined.register(perMailbox(rows, MailboxDao.Health::quarantined), true);
        refreshFailures.register(perMailbox(rows, MailboxDao.Health::refreshFailures), true);
        status.register(rows.stream().map(row -> MultiGauge.Row.of(mailbox(row).and("status", row.status()), 1))
                .toList(), true);
        outbox.register(byState(mail), true);
        webhooks.register(byState(hooks), true);
        outboxOldest.set(Math.round(mail.oldestWaitingSeconds()));
        webhooksOldest.set(Math.round(hooks.oldestWaitingSeconds()));
    }

    private static Tags mailbox(MailboxDao.Health row) {
        return Tags.of("mailbox", Long.toString(row.id()));
    }

    private static List<MultiGauge.Row<?>> perMailbox(List<MailboxDao.Health> rows,
                                                       java.util.function.ToDoubleFunction<MailboxDao.Health> value) {
        return rows.stream().<MultiGauge.Row<?>>map(row -> MultiGauge.Row.of(mailbox(row), value.applyAsDouble(row)))
                .toList();
    }

    /** Every state is shown, 0 included, so an alert on a state has a series from the start. */
    private static List<MultiGauge.Row<?>> byState(QueueHealthDao.Queue queue) {
        return List.of(MultiGauge.Row.of(Tags.of("state", "queued"), queue.queued()),
                MultiGauge.Row.of(Tags.of("state", "sending"), queue.sending()),
                MultiGauge.Row.of(Tags.of("state", "failed"), queue.failed()));
    }
}
