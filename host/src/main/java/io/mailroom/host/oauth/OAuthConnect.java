package io.mailroom.host.oauth;

import io.mailroom.api.MailroomException;
import io.mailroom.api.oauth.MailServer;
import io.mailroom.api.oauth.OAuthProtocol;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.TokenSet;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxInput;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.mailboxes.SyncJobs;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.outbound.MailboxSmtp;
import io.mailroom.host.auth.UserDao;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two ends of the authorization code flow. {@link #authorize} sends the user to the provider;
 * {@link #callback} checks the state, exchanges the code, then creates or changes the mailbox and
 * stores its tokens. Every check runs before anything is written: a bad state, a provider error or
 * a refused exchange stores nothing.
 */
public final class OAuthConnect {

    private final Jdbi jdbi;
    private final OAuthProviders providers;
    private final OAuthStates states;
    private final OAuthTokens tokens;
    private final OAuthProtocol standard;
    private final Mailboxes mailboxes;
    private final MailboxSmtp smtp;

    public OAuthConnect(Jdbi jdbi, OAuthProviders providers, OAuthTokens tokens, OAuthProtocol standard,
                        Mailboxes mailboxes, MailboxSmtp smtp, io.mailroom.host.secrets.SecretSealer sealer, Clock clock) {
        this.smtp = smtp;
        this.jdbi = jdbi;
        this.providers = providers;
        this.states = new OAuthStates(jdbi, sealer, clock);
        this.tokens = tokens;
        this.standard = standard;
        this.mailboxes = mailboxes;
    }

    /**
     * The provider's authorization URI for the caller: to authorize mailbox {@code mailboxId}, or,
     * when it is null, to connect a new mailbox read over {@code protocol}.
     */
    /** Where to send the browser, and the nonce to give it as the state's cookie. */
    record Authorization(URI uri, String state, String browserNonce) {
    }

    Authorization authorize(User caller, String providerId, Long mailboxId, String protocol) {
        ProviderState state = providers.enabled(providerId);
        OAuthProvider provider = state.provider();
        String loginHint = null;
        if (mailboxId != null) {
            Mailbox mailbox = mailboxes.visible(caller, mailboxId);
            protocol = mailbox.source();
            String username = mailboxes.openSettings(mailbox).get("username");
            loginHint = username != null && !username.isBlank() ? username : mailbox.email();
        } else if (!provider.defaultServers().containsKey(protocol)) {
            throw ApiException.invalid("source", "the provider '" + providerId + "' has no default server for "
                    + protocol + "; it has " + provider.defaultServers().keySet());
        }
        if (provider.scopes(protocol).isEmpty()) {
            throw ApiException.invalid("source", "tokens of the provider '" + providerId + "' do not open " + protocol);
        }
        Pkce pkce = Pkce.create();
        String browserNonce = OAuthStates.random();
        String stateValue = states.create(caller.id(), mailboxId, providerId, protocol, pkce, browserNonce);
        return new Authorization(AuthorizationUri.build(provider, state.client(), AuthorizationUri.scopes(provider, protocol),
                stateValue, pkce.challenge(), loginHint), stateValue, browserNonce);
    }

    /** What a callback did. */
    record Connected(long mailboxId, String account, boolean created) {
    }

    /**
     * Finishes an authorization. {@code caller} is the authenticated user when the request carried
     * a token (then it must be the state's user), or null for a browser redirect, whose credential
     * is the single-use state and the cookie {@link #authorize} gave the browser that started it.
     */
    Connected callback(User caller, String providerId, Map<String, String> query, String browserNonce, SyncJobs jobs) {
        OAuthStates.Taken taken = states.take(query.get("state"), caller == null ? null : caller.id(), browserNonce,
                providerId);
        if (query.get("error") != null) {
            throw new ApiException(400, "provider_error", "the provider answered " + ShownError.text(
                    io.mailroom.api.ServerText.excerpt(query.get("error")))
                    + (query.get("error_description") == null ? ""
                    : ": " + ShownError.text(io.mailroom.api.ServerText.excerpt(query.get("error_description")))),
                    Map.of("path", "error"));
        }
        String code = query.get("code");
        if (code == null || code.isBlank()) {
            throw ApiException.invalid("code", "the callback carries no authorization code");
        }
        ProviderState state = providers.enabled(providerId);
        OAuthProvider provider = state.provider();
        User user = caller != null ? caller : jdbi.onDemand(UserDao.class).find(taken.row().userId())
                .orElseThrow(() -> OAuthStates.invalid("the state's user no longer exists"));
        Mailbox existing = taken.row().mailboxId() == null ? null : mailboxes.visible(user, taken.row().mailboxId());
        TokenSet issued;
        String account;
        try {
            issued = provider.exchangeCode(state.client(), code, taken.codeVerifier(), standard);
            account = AccountEmailReader.read(provider.accountEmail(), issued, state.client(), standard.http());
        } catch (MailroomException e) {
            throw new ApiException(400, "exchange_failed", "the code exchange failed: " + ShownError.of(e),
                    Map.of("path", "code"));
        }
        Mailbox mailbox = existing != null ? authorized(user, existing, provider, account, jobs)
                : created(user, provider, taken.row().protocol(), account, jobs);
        jdbi.useTransaction(handle -> tokens.store(handle, mailbox.id(), provider.id(), account, issued));
        // the tokens send too: a mailbox without SMTP settings gets the provider's server (XOAUTH2)
        MailServer sending = provider.defaultServers().get("smtp");
        if (sending != null && !provider.scopes("smtp").isEmpty()) {
            smtp.defaultTo(mailbox.id(), sending.host(), sending.port(), sending.security());
        }
        return new Connected(mailbox.id(), account, existing == null);
    }

    /** An existing mailbox: its auth becomes the provider's; a username the admin set is kept (a shared mailbox). */
    private Mailbox authorized(User user, Mailbox mailbox, OAuthProvider provider, String account, SyncJobs jobs) {
        String username = mailboxes.openSettings(mailbox).get("username");
        Map<String, Object> settings = new LinkedHashMap<>();
        if (username == null || username.isBlank()) {
            settings.put("username", account != null ? account : mailbox.email());
        }
        return mailboxes.update(user, mailbox.id(), input(null, null, null, "oauth:" + provider.id(),
                settings.isEmpty() ? null : settings), jobs);
    }

    /** "Connect Gmail": a new mailbox on the provider's default server, named for the account. */
    private Mailbox created(User user, OAuthProvider provider, String protocol, String account, SyncJobs jobs) {
        if (account == null) {
            throw new ApiException(400, "account_unknown", "the provider did not tell the account's address, so no "
                    + "mailbox can be created for it; create the mailbox first and authorize it", Map.of());
        }
        MailServer server = provider.defaultServers().get(protocol);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", server.host());
        settings.put("port", server.port());
        settings.put("security", server.security());
        settings.put("username", account);
        return mailboxes.create(user, input(account, account, protocol, "oauth:" + provider.id(), settings), jobs);
    }

    private static MailboxInput input(String name, String email, String source, String auth, Map<String, Object> settings) {
        return new MailboxInput(name, email, source, auth, settings, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }
}
