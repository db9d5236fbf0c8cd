package io.mailroom.host.outbound;

import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.network.ShownError;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox. Every node may run one; they share the work through PostgreSQL alone:
 *
 * <ol>
 * <li><b>Claim</b>, in a short transaction: the next due row no one holds ({@code FOR UPDATE SKIP
 * LOCKED}), the mailbox's SMTP row locked so its rate limit is counted and spent by one node at
 * a time, then the row becomes {@code sending} under this node's lease. One attempt at a time
 * per message, across all nodes.</li>
 * <li><b>Attempt</b>, outside any transaction. Just before DATA it commits {@code data_at}; just
 * before the final dot, {@code end_of_data_at}. Both are refused once the lease is lost.</li>
 * <li><b>Record</b> the outcome: {@code sent} with the server's reply; {@code failed} on a 5xx
 * (or after {@link #MAX_ATTEMPTS}); otherwise back to {@code queued} with back-off.</li>
 * </ol>
 *
 * <p>A row whose lease ran out (its node died or hung) is reconciled: without
 * {@code end_of_data_at} the server cannot have accepted the message (SMTP takes a message only
 * at the final dot, and a connection dropped before it discards the transaction), so it is
 * queued again; with it, the server may have accepted it, so it is not sent again and is marked
 * sent with a note. That last case is the one window SMTP cannot close (RFC 1047): between the
 * final dot and our commit of the reply. It lasts one server reply plus one local commit.
 *
 * <p>On the same turns it ties new inbound bounces to the messages they answer ({@link BounceMatcher})
 * and copies sent mail to the server's Sent folder ({@link SentCopies}).
 */
public final class OutboxWorker implements AutoCloseable {

    static final int MAX_ATTEMPTS = 12;
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);

    private final Jdbi jdbi;
    private final SmtpDelivery delivery;
    private final BounceMatcher bounces;
    private final SentCopies sentCopies;
    private final Clock clock;
    private final OutboxTiming timing;
    private final String owner = "node-" + UUID.randomUUID();
    private final Semaphore wakeups = new Semaphore(0);
    private final Semaphore slots;
    private final ExecutorService attempts;
    private final Thread loop;
    private volatile boolean running = true;

    OutboxWorker(Jdbi jdbi, SmtpDelivery delivery, SentCopies sentCopies, Clock clock, OutboxTiming timing) {
        this.jdbi = jdbi;
        this.sentCopies = sentCopies;
        this.delivery = delivery;
        this.bounces = new BounceMatcher(jdbi);
        this.clock = clock;
        this.timing = timing;
        this.slots = new Semaphore(Math.max(1, timing.parallel()));
        // Platform threads: Angus Mail blocks inside synchronized methods, which would pin virtual ones.
        this.attempts = Executors.newFixedThreadPool(Math.max(1, timing.parallel()),
                Thread.ofPlatform().name("mailroom-outbox-", 0).daemon().factory());
        this.loop = Thread.ofPlatform().name("mailroom-outbox").daemon().unstarted(this::run);
    }

    void start() {
        loop.start();
    }

    /** Looks for due mail now rather than at the next poll (after a send was committed). */
    public void wake() {
        wakeups.release();
    }

    private void run() {
        while (running) {
            try {
                reconcile();
                bounces.matchNew();
                sentCopies.copyDue();
                while (running && slots.tryAcquire()) {
                    Optional<Claim> claim = claim();
                    if (claim.isEmpty()) {
                        slots.release();
                        break;
                    }
                    attempts.execute(() -> {
                        try {
                            attempt(claim.get());
                        } finally {
                            slots.release();
                            wake();
                        }
                    });
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("outbox: {}", ShownError.of(e));
                }
            }
            try {
                wakeups.tryAcquire(timing.poll().toMillis(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    record Claim(OutboxDao.Entry entry, SmtpSettings smtp) {
    }

    Optional<Claim> claim() {
        return jdbi.inTransaction(handle -> {
            OutboxDao outbox = handle.attach(OutboxDao.class);
            SmtpSettingsDao settings = handle.attach(SmtpSettingsDao.class);
            for (int skipped = 0; skipped < 50; skipped++) {
                Optional<OutboxDao.Entry> due = outbox.nextDue();
                if (due.isEmpty()) {
                    return Optional.empty();
                }
                OutboxDao.Entry entry = due.get();
                Optional<SmtpSettings> smtp = settings.lock(entry.mailboxId());
                if (smtp.isEmpty()) {
                    outbox.finish(entry.messageId(), null, "failed", "the mailbox has no smtp settings");
                    outbox.setMessageStatus(entry.messageId(), "failed");
                    continue;
                }
                if (outbox.attemptsInLastMinute(entry.mailboxId()) >= smtp.get().ratePerMinute()) {
                    // Over the mailbox's rate: wait until the oldest attempt of the minute leaves the window.
                    outbox.postpone(entry.messageId(), outbox.windowFrees(entry.mailboxId())
                            .orElse(clock.instant().plusSeconds(60)));
                    continue;
                }
                outbox.lease(entry.messageId(), owner, timing.lease().toSeconds() + " seconds");
                return Optional.of(new Claim(entry, smtp.get()));
            }
            return Optional.empty();
        });
    }

    void attempt(Claim claim) {
        OutboxDao.Entry entry = claim.entry();
        long id = entry.messageId();
        try {
            byte[] raw = jdbi.onDemand(BlobDao.class).content(entry.contentHash())
                    .orElseThrow(() -> new IllegalStateException("the message's bytes are not stored"));
            OutboxDao dao = jdbi.onDemand(OutboxDao.class);
            String reply = delivery.send(claim.smtp(), entry.envelopeFrom(), entry.recipients(), raw,
                    new SmtpDelivery.Progress() {
                        @Override
                        public void beforeData() {
                            if (dao.recordData(id, owner) == 0) {
                                throw new SmtpDelivery.LeaseLost();
                            }
                        }

                        @Override
                        public void beforeEndOfData() {
                            if (dao.recordEndOfData(id, owner) == 0) {
                                throw new SmtpDelivery.LeaseLost();
                            }
                        }
                    });
            finish(id, "sent", reply);
        } catch (DeliveryFailure failure) {
            if (failure.permanent() || entry.attempts() + 1 >= MAX_ATTEMPTS) {
                finish(id, "failed", failure.getMessage());
            } else {
                Instant next = clock.instant().plus(backoff(entry.attempts() + 1));
                jdbi.useHandle(handle -> handle.attach(OutboxDao.class).retryLater(id, owner, failure.getMessage(), next));
                LOG.info("outbox: message {} not sent yet ({}); next attempt at {}", id, failure.getMessage(), next);
            }
        } catch (SmtpDelivery.LeaseLost lost) {
            LOG.warn("outbox: message {}: lease lost, leaving it to the node that holds it", id);
        } catch (RuntimeException e) {
            // Our own fault (unreadable bytes, a closed pool): the lease runs out and reconcile decides.
            LOG.warn("outbox: message {}: {}", id, ShownError.of(e));
        }
    }

    private void finish(long id, String state, String reply) {
        jdbi.useTransaction(handle -> {
            OutboxDao dao = handle.attach(OutboxDao.class);
            if (dao.finish(id, owner, state, reply) == 1) {
                dao.setMessageStatus(id, state);
                if (state.equals("sent")) {
                    dao.askSentCopy(id);
                }
            }
        });
    }

    Duration backoff(int attempt) {
        Duration wait = timing.retryBase().multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** Decides what happens to attempts whose node stopped in the middle of them. */
    void reconcile() {
        jdbi.useTransaction(handle -> {
            OutboxDao dao = handle.attach(OutboxDao.class);
            for (OutboxDao.Abandoned abandoned : dao.abandoned()) {
                if (abandoned.endOfDataSent()) {
                    dao.finish(abandoned.messageId(), null, "sent", "not confirmed: the attempt stopped after the end "
                            + "of data, when the server may have accepted it; not sent again to avoid a duplicate");
                    dao.setMessageStatus(abandoned.messageId(), "sent");
                } else {
                    dao.requeue(abandoned.messageId(), abandoned.dataStarted()
                            ? "the attempt stopped during DATA, before the end of data; sending again"
                            : "the attempt stopped before DATA; sending again");
                }
            }
        });
    }

    @Override
    public void close() {
        running = false;
        wake();
        loop.interrupt();
        attempts.shutdown();
        try {
            loop.join(5_000);
            attempts.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        attempts.shutdownNow();
    }
}
