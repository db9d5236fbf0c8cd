package io.mailroom.host.webhooks;

import io.mailroom.api.HttpTransport;
import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.secrets.SealedSecretException;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * POSTs queued webhook deliveries. Every node may run one; they share the work through
 * PostgreSQL alone: a delivery is claimed in a short transaction ({@code FOR UPDATE SKIP
 * LOCKED}) and leased for {@link #LEASE}, the POST runs outside any transaction, and the outcome
 * is recorded only by the lease's owner.
 *
 * <p>Delivery is at least once: a node that dies between the receiver's answer and the record
 * leaves the delivery due again when the lease runs out. Receivers tell a repeat by the
 * {@code X-Mailroom-Delivery} header (the idempotency key).
 *
 * <p>A 2xx answer is delivered. Anything else (another status, a network failure, a timeout) is
 * retried after a wait that doubles from the configured base up to {@link #MAX_BACKOFF}, until
 * the configured number of attempts; a permanent failure (the URL's host is a private address
 * the installation does not connect to, a secret that does not open) is given up at once. The
 * reason kept is one line: the status and a short snippet of the answer, never the secret.
 *
 * <p>The private-address rule is applied here, when the request goes out, by the host's
 * {@link HttpTransport}, so a name that pointed elsewhere when the rule was saved is still refused.
 */
public final class WebhookWorker implements AutoCloseable {

    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    static final int SNIPPET = 200;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorker.class);

    private final Jdbi jdbi;
    private final HttpTransport http;
    private final SecretSealer sealer;
    private final Clock clock;
    private final WebhookTiming timing;
    private final String owner = "node-" + UUID.randomUUID();
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread loop;
    private volatile boolean running = true;
    private boolean started;

    WebhookWorker(Jdbi jdbi, HttpTransport http, SecretSealer sealer, Clock clock, WebhookTiming timing) {
        this.jdbi = jdbi;
        this.http = http;
        this.sealer = sealer;
        this.clock = clock;
        this.timing = timing;
        this.loop = Thread.ofPlatform().name("mailroom-webhooks").daemon().unstarted(this::run);
    }

    synchronized void start() {
        if (!started) {
            loop.start();
            started = true;
        }
    }

    /** Looks for due deliveries now rather than at the next poll (after one was queued). */
    public void wake() {
        wakeups.release();
    }

    private void run() {
        while (running) {
            try {
                deliverDue();
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("webhooks: {}", ShownError.of(e));
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

    /** Attempts every delivery due now, one after the other; returns how many were attempted. */
    public int deliverDue() {
        int attempted = 0;
        Optional<WebhookDelivery> due;
        while (running && (due = claim()).isPresent()) {
            attempt(due.get());
            attempted++;
        }
        return attempted;
    }

    Optional<WebhookDelivery> claim() {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            Optional<WebhookDelivery> due = dao.nextDue(now);
            due.ifPresent(delivery -> dao.lease(delivery.id(), owner, now.plus(LEASE)));
            return due.map(delivery -> new WebhookDelivery(delivery.id(), delivery.idempotencyKey(),
                    delivery.messageId(), delivery.mailboxId(), delivery.url(), delivery.secret(), delivery.body(),
                    "sending", delivery.attempts() + 1, now.plus(LEASE), owner, delivery.lastStatus(),
                    delivery.lastError(), delivery.deliveredAt(), delivery.createdAt()));
        });
    }

    private void attempt(WebhookDelivery delivery) {
        WebhookDao dao = jdbi.onDemand(WebhookDao.class);
        String secret;
        try {
            secret = sealer.open(delivery.secret(), WebhookDelivery.secretContext(delivery.idempotencyKey()));
        } catch (SealedSecretException e) {
            dao.failed(delivery.id(), owner, null, "the secret cannot be opened: " + e.getMessage());
            return;
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        long now = clock.instant().getEpochSecond();
        Integer status = null;
        String reason;
        boolean permanent = false;
        try {
            HttpTransport.Response response = http.send(new HttpTransport.Request("POST", URI.create(delivery.url()),
                    Map.of("Content-Type", "application/json",
                            WebhookSignature.HEADER, WebhookSignature.header(secret, now, body),
                            "X-Mailroom-Delivery", delivery.idempotencyKey(),
                            "User-Agent", "Mailroom-Webhook"), body));
            if (response.isSuccess()) {
                dao.delivered(delivery.id(), owner, response.status(), clock.instant());
                return;
            }
            status = response.status();
            String snippet = snippet(response.body(), secret);
            reason = "HTTP " + response.status() + (snippet.isEmpty() ? "" : ": " + snippet);
        } catch (PermanentException e) {
            permanent = true;
            reason = hide(oneLine(e.getMessage()), secret);
        } catch (TemporaryException e) {
            reason = hide(oneLine(e.getMessage()), secret);
        } catch (IllegalArgumentException e) {
            permanent = true; // a URL the client cannot use at all
            reason = "the URL cannot be used: " + hide(oneLine(e.getMessage()), secret);
        }
        if (permanent || delivery.attempts() >= timing.maxAttempts()) {
            String why = permanent ? reason : "gave up after " + delivery.attempts() + " attempts; the last: " + reason;
            dao.failed(delivery.id(), owner, status, why);
            LOG.info("webhooks: delivery {} given up: {}", delivery.id(), why);
        } else {
            Instant next = clock.instant().plus(backoff(delivery.attempts()));
            dao.retryLater(delivery.id(), owner, status, reason, next);
            LOG.info("webhooks: delivery {} not delivered yet ({}); next attempt at {}", delivery.id(), reason, next);
        }
    }

    /** The wait after attempt {@code attempt} (from 1): the base, doubled each time, at most {@link #MAX_BACKOFF}. */
    Duration backoff(int attempt) {
        Duration wait = timing.retryBase().multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** At most {@link #SNIPPET} characters of the answer, on one line, without the secret. */
    static String snippet(byte[] body, String secret) {
        String text = new String(body, 0, Math.min(body.length, SNIPPET * 4), StandardCharsets.UTF_8);
        String line = hide(oneLine(text), secret).strip();
        return line.length() > SNIPPET ? line.substring(0, SNIPPET) + "…" : line;
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    /** A receiver could echo the secret back; it is never kept or logged. */
    private static String hide(String text, String secret) {
        return secret.isEmpty() ? text : text.replace(secret, "***");
    }

    @Override
    public void close() {
        running = false;
        wake();
        loop.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
