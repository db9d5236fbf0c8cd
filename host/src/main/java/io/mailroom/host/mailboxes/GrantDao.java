package io.mailroom.host.mailboxes;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Mailboxes' OAuth tokens (sealed). */
public interface GrantDao {

    String COLUMNS = "mailbox_id, provider, account, access_token, refresh_token, expires_at, scope, refreshed_at, "
            + "retry_after, failures";

    @SqlQuery("SELECT " + COLUMNS + " FROM oauth_grants WHERE mailbox_id = :id")
    Optional<OAuthGrant> find(@Bind("id") long mailboxId);

    /** Locks the row until the transaction ends: the one refresh per mailbox across all nodes. */
    @SqlQuery("SELECT " + COLUMNS + " FROM oauth_grants WHERE mailbox_id = :id FOR UPDATE")
    Optional<OAuthGrant> lock(@Bind("id") long mailboxId);

    @SqlUpdate("INSERT INTO oauth_grants (mailbox_id, provider, account, access_token, refresh_token, expires_at, scope, refreshed_at) "
            + "VALUES (:id, :provider, :account, :access, :refresh, :expiresAt, :scope, :now) ON CONFLICT (mailbox_id) DO UPDATE "
            + "SET provider = :provider, account = :account, access_token = :access, refresh_token = :refresh, "
            + "expires_at = :expiresAt, scope = :scope, refreshed_at = :now, retry_after = NULL, failures = 0")
    void save(@Bind("id") long mailboxId, @Bind("provider") String provider, @Bind("account") String account,
              @Bind("access") String sealedAccessToken, @Bind("refresh") String sealedRefreshToken,
              @Bind("expiresAt") Instant expiresAt, @Bind("scope") String scope, @Bind("now") Instant now);

    /** A refresh's result; the rotated refresh token, when the server sent one, in the same statement. */
    @SqlUpdate("UPDATE oauth_grants SET access_token = :access, refresh_token = COALESCE(:refresh, refresh_token), "
            + "expires_at = :expiresAt, scope = COALESCE(:scope, scope), refreshed_at = :now, retry_after = NULL, "
            + "failures = 0 WHERE mailbox_id = :id")
    void refreshed(@Bind("id") long mailboxId, @Bind("access") String sealedAccessToken,
                   @Bind("refresh") String sealedRefreshToken, @Bind("expiresAt") Instant expiresAt,
                   @Bind("scope") String scope, @Bind("now") Instant now);

    /** A new authorization ends an episode of refused credentials: the next sync starts clean. */
    @SqlUpdate("UPDATE mailboxes SET status = CASE WHEN enabled THEN 'active' ELSE 'disabled' END, last_error = NULL, "
            + "consecutive_failures = 0 WHERE id = :id AND status IN ('auth_failed', 'error')")
    void clearFailure(@Bind("id") long mailboxId);

    @SqlUpdate("UPDATE oauth_grants SET failures = failures + 1, retry_after = :retryAfter WHERE mailbox_id = :id")
    void failedForNow(@Bind("id") long mailboxId, @Bind("retryAfter") Instant retryAfter);

    @SqlUpdate("DELETE FROM oauth_grants WHERE mailbox_id = :id")
    int delete(@Bind("id") long mailboxId);

    /**
     * Grants not refreshed since {@code before} whose mailbox is enabled: the periodic refresh keeps
     * their refresh tokens alive while nothing syncs.
     */
    @SqlQuery("SELECT g.mailbox_id FROM oauth_grants g JOIN mailboxes m ON m.id = g.mailbox_id "
            + "WHERE g.refreshed_at < :before AND m.enabled AND m.status <> 'auth_failed' "
            + "AND (g.retry_after IS NULL OR g.retry_after < now()) ORDER BY g.refreshed_at LIMIT :limit")
    List<Long> stale(@Bind("before") Instant before, @Bind("limit") int limit);
}
