package io.mailroom.plugins.ticketing.webhook;

import java.time.Instant;

/**
 * One message queued for a mailbox's webhook.
 *
 * @param state      {@code pending}, {@code delivered} or {@code failed} (given up)
 * @param attempts   how many posts were tried
 * @param lastStatus the HTTP status of the last answer, or null (none, or a network failure)
 */
record Delivery(long id, long mailboxId, long messageId, String body, String state, int attempts,
                Instant nextAttemptAt, Integer lastStatus, String lastError) {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
}
