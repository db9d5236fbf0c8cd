package io.mailroom.host.oauth;

import io.mailroom.host.errors.ApiException;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The OAuth {@code state}: {@code <random id>.<MAC>}, signed over the id, the user, the mailbox
 * and the provider, stored with the PKCE verifier, valid for {@value #MINUTES} minutes and taken
 * (deleted) by the first callback that presents it. A forged, replayed, expired or foreign state
 * is a 400 and nothing is stored.
 */
final class OAuthStates {

    static final int MINUTES = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final SecretSealer sealer;
    private final Clock clock;

    OAuthStates(Jdbi jdbi, SecretSealer sealer, Clock clock) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * A new state for the user's authorization.
     *
     * @param browserNonce the nonce the starting browser gets as a cookie (see {@link #browserCookie})
     * @return the value to send to the provider
     */
    String create(long userId, Long mailboxId, String provider, String protocol, Pkce pkce, String browserNonce) {
        String id = random();
        StateDao states = jdbi.onDemand(StateDao.class);
        states.deleteExpired(clock.instant());
        states.insert(new StateRow(id, userId, mailboxId, provider, protocol,
                sealer.seal(pkce.verifier(), "oauth-state:" + id), Pkce.challenge(browserNonce),
                clock.instant().plus(Duration.ofMinutes(MINUTES))));
        return id + "." + sealer.sign(id, binding(userId, mailboxId, provider));
    }

    static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The name of the cookie that binds a state to the browser that started it: a callback
     * without a bearer token must come from that browser, or anyone could send a victim a link
     * to the provider with their own state, and get the victim's mailbox tokens stored in their
     * own mailbox (login CSRF).
     */
    static String browserCookie(String state) {
        String id = state.substring(0, Math.max(0, state.indexOf('.')));
        return "mailroom_oauth_" + id.substring(0, Math.min(16, id.length())).replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** What the callback may go on with: the state's binding and the PKCE verifier. */
    record Taken(StateRow row, String codeVerifier) {
        @Override
        public String toString() {
            return "Taken[" + row + "]";
        }
    }

    /**
     * Takes the state for {@code userId}'s callback to {@code provider}.
     *
     * @param userId       the user of the bearer token the callback came with, or null
     * @param browserNonce the nonce of the callback's cookie; needed when there is no token
     * @throws ApiException 400 {@code invalid_state} for a state that is malformed, forged,
     *                      unknown or already used, expired, another user's or another provider's,
     *                      or, without a token, from another browser
     */
    Taken take(String state, Long userId, String browserNonce, String provider) {
        if (state == null || state.length() > 200 || state.indexOf('.') < 1) {
            throw invalid("the state is missing or malformed");
        }
        String id = state.substring(0, state.indexOf('.'));
        String mac = state.substring(state.indexOf('.') + 1);
        StateRow row = jdbi.onDemand(StateDao.class).take(id)
                .orElseThrow(() -> invalid("the state is unknown or was used already; start the authorization again"));
        if (!sealer.verify(id, binding(row.userId(), row.mailboxId(), row.provider()), mac)) {
            throw invalid("the state's signature does not match");
        }
        if (!row.expiresAt().isAfter(clock.instant())) {
            throw invalid("the state expired; start the authorization again (it is valid for " + MINUTES + " minutes)");
        }
        if (userId != null && row.userId() != userId) {
            throw invalid("the state was issued to another user");
        }
        if (userId == null && (browserNonce == null || !java.security.MessageDigest.isEqual(
                Pkce.challenge(browserNonce).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                row.browserHash().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
            throw invalid("the authorization must be finished in the browser that started it");
        }
        if (!row.provider().equals(provider)) {
            throw invalid("the state was issued for another provider");
        }
        return new Taken(row, sealer.open(row.codeVerifier(), "oauth-state:" + row.id()));
    }

    private static String binding(long userId, Long mailboxId, String provider) {
        return "oauth-state:" + userId + ":" + (mailboxId == null ? "new" : mailboxId) + ":" + provider;
    }

    static ApiException invalid(String message) {
        return new ApiException(400, "invalid_state", message, Map.of("path", "state"));
    }
}
