package io.mailroom.api.oauth;

import java.time.Instant;

/**
 * Tokens from a code exchange or refresh. {@link #toString()} hides them.
 *
 * @param refreshToken null when the server did not issue a new one (keep the old)
 * @param expiresAt    when the access token expires
 * @param email        the account's address when the server told it (ID token, userinfo), or null
 */
public record TokenSet(String accessToken, String refreshToken, Instant expiresAt, String scope, String email) {

    @Override
    public String toString() {
        return "TokenSet[expiresAt=" + expiresAt + ", scope=" + scope + ", email=" + email + "]";
    }
}
