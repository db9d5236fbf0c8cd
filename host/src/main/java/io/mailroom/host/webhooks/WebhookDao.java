package io.mailroom.host.webhooks;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook deliveries. Times come from the caller's clock, not the database's, so the worker's
 * clock decides what is due. Every change after a claim is guarded by the lease owner: a node
 * whose lease ran out cannot overwrite what the node that took over recorded.
 */
public interface WebhookDao {

    /** Queues a delivery; 0 when one with this key is there already (nothing is queued twice). */
    @SqlUpdate("INSERT INTO webhook_deliveries (idempotency_key, message_id, mailbox_id, url, secret, body, next_attempt_at) "
            + "VALUES (:key, :messageId, :mailboxId, :url, :secret, :body, :now) ON CONFLICT (idempotency_key) DO NOTHING")
    int insert(@Bind("key") String key, @Bind("messageId") Long messageId, @Bind("mailboxId") Long mailboxId,
               @Bind("url") String url, @Bind("secret") String sealedSecret, @Bind("body") String body,
               @Bind("now") Instant now);

    /** The next due delivery no other node holds; call inside a transaction, then {@link #lease}. */
    @SqlQuery("SELECT * FROM webhook_deliveries WHERE status IN ('queued', 'sending') AND next_attempt_at <= :now "
            + "ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
    Optional<WebhookDelivery> nextDue(@Bind("now") Instant now);

    /** Claims it for one attempt; a node that dies mid-attempt leaves it due again at {@code until}. */
    @SqlUpdate("UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, lease_owner = :owner, "
            + "next_attempt_at = :until WHERE id = :id")
    void lease(@Bind("id") long id, @Bind("owner") String owner, @Bind("until") Instant until);

    @SqlUpdate("UPDATE webhook_deliveries SET status = 'delivered', last_status = :status, last_error = NULL, "
            + "delivered_at = :now, lease_owner = NULL WHERE id = :id AND lease_owner = :owner")
    int delivered(@Bind("id") long id, @Bind("owner") String owner, @Bind("status") int status, @Bind("now") Instant now);

    @SqlUpdate("UPDATE webhook_deliveries SET status = 'queued', last_status = :status, last_error = :error, "
            + "next_attempt_at = :next, lease_owner = NULL WHERE id = :id AND lease_owner = :owner")
    int retryLater(@Bind("id") long id, @Bind("owner") String owner, @Bind("status") Integer status,
                   @Bind("error") String error, @Bind("next") Instant next);

    @SqlUpdate("UPDATE webhook_deliveries SET status = 'failed', last_status = :status, last_error = :error, "
            + "lease_owner = NULL WHERE id = :id AND lease_owner = :owner")
    int failed(@Bind("id") long id, @Bind("owner") String owner, @Bind("status") Integer status,
               @Bind("error") String error);

    @SqlQuery("SELECT * FROM webhook_deliveries WHERE idempotency_key = :key")
    Optional<WebhookDelivery> byKey(@Bind("key") String key);

    @SqlQuery("SELECT * FROM webhook_deliveries WHERE message_id = :messageId ORDER BY id")
    List<WebhookDelivery> ofMessage(@Bind("messageId") long messageId);
}
