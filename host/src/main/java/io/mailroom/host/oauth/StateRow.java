package io.mailroom.host.oauth;

import java.time.Instant;

/**
 * An authorization under way. {@code codeVerifier} is sealed for {@code oauth-state:<id>};
 * {@code mailboxId} null means the callback creates a mailbox; {@code protocol} is the mail
 * protocol the scopes were asked for; {@code browserHash} the SHA-256 of the nonce the starting
 * browser got as a cookie.
 */
public record StateRow(String id, long userId, Long mailboxId, String provider, String protocol, String codeVerifier,
                       String browserHash, Instant expiresAt) {

    @Override
    public String toString() {
        return "StateRow[userId=" + userId + ", mailboxId=" + mailboxId + ", provider=" + provider + "]";
    }
}
