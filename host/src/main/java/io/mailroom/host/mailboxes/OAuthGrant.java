package io.mailroom.host.mailboxes;

import java.time.Instant;

/**
 * A mailbox's tokens as stored: {@code accessToken} and {@code refreshToken} sealed for
 * {@code mailbox:<id>} ({@code access_token}, {@code refresh_token}). {@link #toString()} shows
 * neither.
 *
 * @param account    the account that authorized (for a shared mailbox, not its login name)
 * @param retryAfter after a temporary refresh failure, no new try before this; null otherwise
 */
public record OAuthGrant(long mailboxId, String provider, String account, String accessToken, String refreshToken,
                         Instant expiresAt, String scope, Instant refreshedAt, Instant retryAfter, int failures) {

    @Override
    public String toString() {
        return "OAuthGrant[mailboxId=" + mailboxId + ", provider=" + provider + ", account=" + account
                + ", expiresAt=" + expiresAt + "]";
    }
}
