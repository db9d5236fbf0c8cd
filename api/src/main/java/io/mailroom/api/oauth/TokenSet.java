package io.mailroom.api.oauth;

import java.time.Instant;

/**
 * Tokens from a code exchange or refresh. {@link #toString()} hides them.
 *
 * @param accessToken  the access token
 * @param refreshToken null when the server did not issue a new one (the host keeps the old);
 *                     when it did, the old one may be dead already, so the host saves it with the
 *                     access token in one transaction
 * @param expiresAt    when the access token expires
 * @param scope        the granted scopes as the server wrote them, or null
 * @param idToken      the OpenID Connect ID token, or null
 */
public record TokenSet(String accessToken, String refreshToken, Instant expiresAt, String scope, String idToken) {

    @Override
    public String toString() {
        return "TokenSet[expiresAt=" + expiresAt + ", scope=" + scope + ", refreshToken="
                + (refreshToken == null ? "none" : "***") + "]";
    }
}
