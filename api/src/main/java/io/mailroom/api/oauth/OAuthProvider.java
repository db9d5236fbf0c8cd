package io.mailroom.api.oauth;

import io.mailroom.api.Extension;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;

import java.util.List;
import java.util.Map;

/**
 * An OAuth 2.0 authorization server whose tokens open mailboxes ({@code google}, {@code microsoft}),
 * described rather than programmed.
 *
 * <p>The host speaks OAuth 2.0 itself: the authorization code grant with PKCE S256 (RFC 6749,
 * RFC 7636), the single-use signed {@code state}, the exact redirect URI, the code exchange, the
 * refresh, JSON and error parsing, sealing the tokens and refreshing them before they expire. A
 * provider only declares what differs between servers: its {@linkplain #installationSettings()
 * client registration}, its {@linkplain #endpoints endpoints}, the {@linkplain #scopes scopes}
 * each mail protocol needs, extra {@linkplain #authorizationParameters authorization parameters},
 * the {@linkplain #defaultServers() default mail servers}, the {@linkplain #mechanism() SASL
 * mechanism} and {@linkplain #accountEmail() where the account's address is read}. A server that
 * does not follow the standard may override {@link #exchangeCode} or {@link #refresh}; the
 * default hands the call to the host's standard implementation.
 *
 * <p>Lifecycle and threading: one instance per plugin start, called from many threads; keep no
 * per-mailbox state in fields.
 *
 * <p>Failures (thrown by the host's standard calls, and expected from overrides):
 * {@link io.mailroom.api.AuthenticationFailedException} when the grant or the client is refused
 * ({@code invalid_grant}: revoked consent, expired refresh token, changed password;
 * {@code invalid_client}: a wrong or expired client secret); an admin must act.
 * {@link io.mailroom.api.TemporaryException} for network errors and 5xx answers; the host backs
 * off and retries.
 */
public interface OAuthProvider extends Extension {

    /**
     * The settings of this provider's registration in one installation: {@code client_id}
     * (always), {@code client_secret}, a tenant, endpoint overrides… The operator sets them in the
     * configuration ({@code mailroom.oauth.<id>.<setting>}) or through the API; secrets are sealed
     * and never shown. {@link OAuthSettings} declares the usual ones.
     */
    List<SettingDescriptor> installationSettings();

    /** The endpoints for an installation; they may depend on its settings (a tenant, say). */
    default OAuthEndpoints endpoints(Settings installation) {
        return OAuthEndpoints.from(installation);
    }

    /**
     * The scopes a token needs to open mail over {@code protocol} ({@code imap}, {@code pop3},
     * {@code smtp}); empty when this provider's tokens do not open that protocol.
     */
    List<String> scopes(String protocol);

    /**
     * The scopes that let the host learn the account's address (see {@link #accountEmail()}) and
     * get a refresh token, asked for with every authorization.
     */
    default List<String> identityScopes() {
        return List.of("openid", "email");
    }

    /**
     * Parameters added to the authorization request beyond the standard ones (Google's
     * {@code access_type=offline} and {@code prompt=consent}).
     */
    default Map<String, String> authorizationParameters(Settings installation) {
        return Map.of();
    }

    /**
     * The mail servers this provider's tokens open, by protocol ({@code imap}, {@code pop3},
     * {@code smtp}); used for a mailbox created by connecting an account.
     */
    default Map<String, MailServer> defaultServers() {
        return Map.of();
    }

    /** How a source presents this provider's access tokens. */
    default Credential.Mechanism mechanism() {
        return Credential.Mechanism.XOAUTH2;
    }

    /** Where the authorized account's address is read: a claim of the ID token by default. */
    default AccountEmail accountEmail() {
        return AccountEmail.fromIdToken("email");
    }

    /**
     * Exchanges an authorization code for tokens. Override only for a server that does not follow
     * RFC 6749 section 4.1.3; {@code standard} still parses answers and maps errors.
     */
    default TokenSet exchangeCode(OAuthClient client, String code, String codeVerifier, OAuthProtocol standard) {
        return standard.exchangeCode(client, code, codeVerifier);
    }

    /**
     * Gets a new access token with a refresh token (RFC 6749 section 6). Override only for a server
     * that does not follow the standard.
     */
    default TokenSet refresh(OAuthClient client, String refreshToken, OAuthProtocol standard) {
        return standard.refresh(client, refreshToken);
    }
}
