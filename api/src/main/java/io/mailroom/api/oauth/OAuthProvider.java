package io.mailroom.api.oauth;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.source.Credential;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * An OAuth 2.0 authorization server whose tokens open mailboxes ({@code google}, {@code microsoft}).
 *
 * <p>The host runs the flow: it makes the single-use {@code state} and the PKCE verifier, checks
 * the redirect URI, seals the tokens, and refreshes them before they expire. The provider only
 * knows its endpoints and how to talk to them. Its {@link #settings()} are the deployment's
 * client registration (client id, client secret, tenant…), given back as {@link OAuthClient}.
 *
 * <p>Lifecycle and threading: one instance per plugin start, called from many threads.
 * Failures: {@link io.mailroom.api.AuthenticationFailedException} when the grant is refused
 * (revoked consent, expired refresh token: an admin must authorize again),
 * {@link io.mailroom.api.TemporaryException} for network or server errors.
 */
public interface OAuthProvider extends Extension {

    /** The URI to send the admin's browser to. */
    URI authorizationUri(AuthorizationRequest request);

    /** Exchanges an authorization code for tokens. */
    TokenSet exchangeCode(OAuthClient client, String code, String codeVerifier, ExtensionContext context);

    /** Gets a new access token with a refresh token. */
    TokenSet refresh(OAuthClient client, String refreshToken, ExtensionContext context);

    /** The scopes to ask for by default. */
    List<String> scopes();

    /**
     * The mail servers this provider's tokens open, by protocol ({@code imap}, {@code pop3},
     * {@code smtp}), used as defaults when a mailbox is created with this provider.
     */
    default Map<String, MailServer> defaultServers() {
        return Map.of();
    }

    /** How a source presents this provider's tokens. */
    default Credential.Mechanism mechanism() {
        return Credential.Mechanism.XOAUTH2;
    }
}
