package io.mailroom.host.webhooks;

import java.time.Instant;

/**
 * One webhook delivery as stored: {@code secret} is sealed (never the plain secret), {@code body}
 * the JSON to POST. {@code status}: {@code queued}, {@code sending} (claimed by a node until
 * {@code nextAttemptAt}), {@code delivered} or {@code failed} (given up, {@code lastError} says why).
 */
public record WebhookDelivery(long id, String idempotencyKey, Long messageId, Long mailboxId, String url, String secret,
                              String body, String status, int attempts, Instant nextAttemptAt, String leaseOwner,
                              Integer lastStatus, String lastError, Instant deliveredAt, Instant createdAt) {

    /** The sealing context of a delivery's secret: a sealed secret copied to another row does not open there. */
    public static String secretContext(String idempotencyKey) {
        return "webhook_delivery:" + idempotencyKey;
    }
}
