package io.mailroom.host.oauth;

import io.mailroom.host.mailboxes.OAuthGrant;
import io.mailroom.host.mailboxes.GrantDao;
import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.oauth.OAuthProtocol;
import io.mailroom.api.oauth.TokenSet;
import io.mailroom.api.source.Credential;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.OAuthLogin;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.notifications.Notifications;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps mailboxes' OAuth tokens: stores them sealed after an authorization, hands out an access
 * token that is valid for a while yet, and refreshes it ahead of expiry.
 *
 * <p>One refresh per mailbox at a time across all nodes: a refresh runs inside a transaction that
 * holds the grant's row lock ({@code SELECT … FOR UPDATE}); whoever waits for the lock then reads
 * the new token instead of refreshing again (a second refresh could be refused, since a provider
 * that rotates refresh tokens may revoke the old one). The new access token and a rotated
 * refresh token are written in that same transaction.
 *
 * <p>A refusal ({@code invalid_grant}…) is an {@link AuthenticationFailedException}; a temporary
 * failure records a back-off in the row, so callers do not hammer the token endpoint, and is
 * rethrown as {@link TemporaryException}. Tokens never appear in a message or log line.
 */
public final class OAuthTokens implements OAuthLogin {

    /** The tokens of a grant, by the names their sealing context ends with. */
    public static final String ACCESS_TOKEN = "access_token";
    public static final String REFRESH_TOKEN = "refresh_token";
    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokens.class);
    /** Refreshed when it expires sooner than this: a sync or a push connection then has time to log in. */
    static final Duration AHEAD = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final SecretSealer sealer;
    private final OAuthProviders providers;
    private final OAuthProtocol standard;
    private final Notifications notifications;
    private final Clock clock;

    public OAuthTokens(Jdbi jdbi, SecretSealer sealer, OAuthProviders providers, OAuthProtocol standard, Clock clock) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.providers = providers;
        this.standard = standard;
        this.notifications = new Notifications(jdbi);
        this.clock = clock;
    }

    @Override
    public Credential credential(Mailbox mailbox, String username) {
        ProviderState state = providerOf(mailbox);
        String token = fresh(mailbox, state, false).accessToken();
        return new Credential(username, token, state.provider().mechanism());
    }

    @Override
    public Credential credentialMarkingRefusal(Mailbox mailbox, String username) {
        try {
            return credential(mailbox, username);
        } catch (AuthenticationFailedException e) {
            credentialsFailed(mailbox, e);
            throw e;
        }
    }

    /** What a refresh gave: the access token (for the caller only) and its expiry. */
    record Refreshed(String accessToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Refreshed[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * Refreshes now (the admin's check after set-up), unless another caller refreshed while this one
     * waited for the lock. A refusal marks the mailbox {@code auth_failed} and tells its owner
     * once per episode, as a refused login does.
     */
    Refreshed refreshNow(Mailbox mailbox) {
        try {
            return fresh(mailbox, providerOf(mailbox), true);
        } catch (AuthenticationFailedException e) {
            credentialsFailed(mailbox, e);
            throw e;
        }
    }

    /** The periodic refresh of a grant nothing used lately, so its refresh token does not lapse. */
    void keepAlive(long mailboxId) {
        Mailbox mailbox = jdbi.onDemand(MailboxDao.class).find(mailboxId).orElse(null);
        if (mailbox == null || providers.unavailable(mailbox.auth()).isPresent()) {
            return;
        }
        try {
            fresh(mailbox, providerOf(mailbox), true);
        } catch (AuthenticationFailedException e) {
            credentialsFailed(mailbox, e);
        } catch (RuntimeException e) {
            LOG.warn("Mailbox {}: keeping its OAuth grant alive failed for now: {}", mailboxId, ShownError.of(e));
        }
    }

    /** Stores the tokens of a new authorization (in the caller's transaction). */
    void store(Handle handle, long mailboxId, String provider, String account, TokenSet tokens) {
        handle.attach(GrantDao.class).save(mailboxId, provider, account,
                sealer.seal(tokens.accessToken(), secretContext(mailboxId, ACCESS_TOKEN)),
                tokens.refreshToken() == null ? null
                        : sealer.seal(tokens.refreshToken(), secretContext(mailboxId, REFRESH_TOKEN)),
                tokens.expiresAt(), tokens.scope(), clock.instant());
        handle.attach(GrantDao.class).clearFailure(mailboxId);
    }

    private ProviderState providerOf(Mailbox mailbox) {
        String auth = mailbox.auth();
        if (auth == null || !auth.startsWith("oauth:")) {
            throw new PermanentException("mailbox " + mailbox.id() + " does not log in with OAuth");
        }
        providers.unavailable(auth).ifPresent(reason -> {
            throw new PermanentException(reason);
        });
        return providers.state(auth.substring("oauth:".length())).orElseThrow();
    }

    private Refreshed fresh(Mailbox mailbox, ProviderState state, boolean force) {
        long id = mailbox.id();
        Instant asked = clock.instant();
        Outcome outcome = jdbi.inTransaction(handle -> {
            GrantDao grants = handle.attach(GrantDao.class);
            OAuthGrant grant = grants.lock(id).orElseThrow(() -> new AuthenticationFailedException(
                    "the mailbox has not been authorized with " + state.provider().name()
                            + " yet: connect it through /api/oauth/" + state.provider().id() + "/authorize?mailbox_id=" + id));
            boolean someoneElseRefreshed = !grant.refreshedAt().isBefore(asked);
            boolean valid = grant.expiresAt().isAfter(clock.instant().plus(AHEAD));
            if ((!force && valid) || (force && someoneElseRefreshed)) {
                return new Outcome(new Refreshed(open(grant.accessToken(), id, ACCESS_TOKEN), grant.expiresAt()), null);
            }
            if (!force && grant.retryAfter() != null && clock.instant().isBefore(grant.retryAfter())) {
                if (grant.expiresAt().isAfter(clock.instant())) {
                    // still valid: use it while the token endpoint backs off
                    return new Outcome(new Refreshed(open(grant.accessToken(), id, ACCESS_TOKEN), grant.expiresAt()), null);
                }
                return new Outcome(null, new TemporaryException("the token refresh backs off until " + grant.retryAfter()));
            }
            if (grant.refreshToken() == null) {
                throw new AuthenticationFailedException("the access token expired and " + state.provider().name()
                        + " issued no refresh token: authorize the mailbox again");
            }
            TokenSet tokens;
            try {
                tokens = state.provider().refresh(state.client(), open(grant.refreshToken(), id, REFRESH_TOKEN), standard);
            } catch (AuthenticationFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                Duration backoff = backoff(grant.failures());
                grants.failedForNow(id, clock.instant().plus(backoff));
                LOG.warn("Mailbox {}: the token refresh failed for now, next try in {}: {}", id, backoff, ShownError.of(e));
                return new Outcome(null, e instanceof TemporaryException temporary ? temporary
                        : new TemporaryException("the token refresh failed: " + ShownError.of(e)));
            }
            grants.refreshed(id, sealer.seal(tokens.accessToken(), secretContext(id, ACCESS_TOKEN)),
                    tokens.refreshToken() == null ? null : sealer.seal(tokens.refreshToken(), secretContext(id, REFRESH_TOKEN)),
                    tokens.expiresAt(), tokens.scope(), clock.instant());
            LOG.info("Mailbox {}: OAuth access token refreshed, valid until {}{}", id, tokens.expiresAt(),
                    tokens.refreshToken() == null ? "" : " (refresh token rotated)");
            return new Outcome(new Refreshed(tokens.accessToken(), tokens.expiresAt()), null);
        });
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.refreshed();
    }

    /** Committed first, thrown after: a back-off is recorded even though the refresh failed. */
    private record Outcome(Refreshed refreshed, RuntimeException failure) {
    }

    private void credentialsFailed(Mailbox before, AuthenticationFailedException e) {
        String error = ShownError.of(e);
        jdbi.onDemand(MailboxDao.class).markFailed(before.id(), "auth_failed", error);
        notifications.credentialsFailed(before, error);
    }

    private String open(String sealed, long mailboxId, String name) {
        return sealer.open(sealed, secretContext(mailboxId, name));
    }

    /** What a token of mailbox {@code mailboxId}'s grant is sealed for ({@link #ACCESS_TOKEN}, {@link #REFRESH_TOKEN}). */
    public static String secretContext(long mailboxId, String token) {
        return Mailbox.secretOwner(mailboxId) + ":" + token;
    }

    private static Duration backoff(int failures) {
        Duration backoff = Duration.ofMinutes(1L << Math.min(failures, 6));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }
}
