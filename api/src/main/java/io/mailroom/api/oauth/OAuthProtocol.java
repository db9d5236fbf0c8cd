package io.mailroom.api.oauth;

import io.mailroom.api.HttpTransport;

/**
 * The host's implementation of the OAuth 2.0 token calls, handed to {@link OAuthProvider#exchangeCode}
 * and {@link OAuthProvider#refresh} so that a provider overriding one of them can still use the rest.
 *
 * <p>Every method throws {@link io.mailroom.api.AuthenticationFailedException} for
 * {@code invalid_grant}, {@code invalid_client} and the other refusals of RFC 6749 section 5.2,
 * and {@link io.mailroom.api.TemporaryException} for network errors, timeouts and 5xx answers.
 * Messages name the server's error code and description, never a token or secret.
 * Thread-safe.
 */
public interface OAuthProtocol {

    /**
     * The authorization code grant's token request (RFC 6749 section 4.1.3, with the PKCE
     * verifier of RFC 7636): form-encoded POST to the token endpoint, client credentials in the
     * body.
     */
    TokenSet exchangeCode(OAuthClient client, String code, String codeVerifier);

    /** The refresh request of RFC 6749 section 6. */
    TokenSet refresh(OAuthClient client, String refreshToken);

    /**
     * Reads a token endpoint's answer as RFC 6749 section 5 says: the tokens of a 2xx answer, or
     * the mapped exception of an error answer. Bounded in the size it reads.
     */
    TokenSet readTokenResponse(HttpTransport.Response response);

    /** The host's HTTP, with its timeouts and address rules, for an override's own requests. */
    HttpTransport http();
}
