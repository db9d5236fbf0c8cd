package io.mailroom.host.webhooks;

import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.time.Clock;
import java.util.Objects;

/**
 * Queues webhook deliveries for the worker: the secret sealed before it is stored, one row per
 * idempotency key. Nothing here talks to the network, so queueing is quick and can never reach
 * a host the worker would refuse.
 */
public final class WebhookQueue {

    private final Jdbi jdbi;
    private final SecretSealer sealer;
    private final Clock clock;
    private final Runnable wake;

    WebhookQueue(Jdbi jdbi, SecretSealer sealer, Clock clock, Runnable wake) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.clock = clock;
        this.wake = wake;
    }

    /**
     * A delivery to queue.
     *
     * @param idempotencyKey one delivery per key, ever
     * @param messageId      the message it is about, or null
     * @param mailboxId      the mailbox of that message, or null
     * @param body           the JSON to POST
     */
    public record Request(String idempotencyKey, Long messageId, Long mailboxId, URI url, String secret, String body) {
        public Request {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(body, "body");
        }

        /** Never the secret. */
        @Override
        public String toString() {
            return "WebhookQueue.Request[" + idempotencyKey + " -> " + url + "]";
        }
    }

    /** Queues it and wakes the worker; false when a delivery with this key was queued before (nothing is queued). */
    public boolean queue(Request request) {
        String sealed = sealer.seal(request.secret(), WebhookDelivery.secretContext(request.idempotencyKey()));
        boolean queued = jdbi.withExtension(WebhookDao.class, dao -> dao.insert(request.idempotencyKey(),
                request.messageId(), request.mailboxId(), request.url().toString(), sealed, request.body(),
                clock.instant())) == 1;
        if (queued) {
            wake.run();
        }
        return queued;
    }
}
