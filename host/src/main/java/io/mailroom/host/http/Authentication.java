package io.mailroom.host.http;

import io.javalin.http.Context;
import io.mailroom.host.auth.ApiTokens;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.Users;
import io.mailroom.host.auth.UserDao;
import io.mailroom.host.errors.ApiException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the bearer token of every {@code /api} request to its user before any route runs,
 * and gives routes the caller. Requests without a valid token never reach a route. A request that
 * sends a wrong token (or an {@code Authorization} header that is no bearer token) counts against
 * its address in {@link FailedLogins}; an address locked out there gets 429 with
 * {@code Retry-After} and its token is not looked at, so guessing gains nothing. A request
 * without any {@code Authorization} header is a plain 401 and is not counted: it guesses nothing.
 */
public final class Authentication {

    private static final String CALLER = "mailroom.caller";
    private static final String BEARER = "Bearer ";

    private final UserDao users;
    private final FailedLogins failedLogins;

    public Authentication(UserDao users, FailedLogins failedLogins) {
        this.users = users;
        this.failedLogins = failedLogins;
    }

    /** The before-handler for {@code /api/*}. */
    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            throw ApiException.unauthorized();
        }
        // the TCP peer, never X-Forwarded-For (see FailedLogins)
        String address = ctx.req().getRemoteAddr();
        Optional<Duration> locked = failedLogins.lockedFor(address);
        if (locked.isPresent()) {
            long seconds = Math.max(1, locked.get().toSeconds() + (locked.get().toNanosPart() > 0 ? 1 : 0));
            ctx.header("Retry-After", Long.toString(seconds));
            throw new ApiException(429, "too_many_failed_logins",
                    "too many failed token checks from your address; try again in " + seconds + " s",
                    Map.of("retry_after_seconds", seconds));
        }
        Optional<User> caller = Optional.empty();
        if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            caller = users.authenticate(ApiTokens.hash(header.substring(BEARER.length()).trim()));
        }
        if (caller.isEmpty()) {
            failedLogins.failed(address);
            throw ApiException.unauthorized();
        }
        ctx.attribute(CALLER, caller.get());
    }

    /**
     * The before-handler for {@code /metrics} on the API port: a token whose user holds the
     * {@code metrics} capability (or a superadmin, who may grant it to themselves anyway).
     * A scraper that cannot send a token uses the separate metrics port instead.
     */
    void authorizeMetrics(Context ctx) {
        authenticate(ctx);
        User caller = caller(ctx);
        if (!caller.isSuperadmin() && !caller.capabilities().contains(Users.METRICS)) {
            throw new ApiException(403, "forbidden", "reading metrics needs the metrics capability", Map.of());
        }
    }

    /** The authenticated caller of an {@code /api} request. */
    public static User caller(Context ctx) {
        User caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw ApiException.unauthorized();
        }
        return caller;
    }

    /** The caller, who must be a superadmin. */
    public static User superadmin(Context ctx) {
        User caller = caller(ctx);
        if (!caller.isSuperadmin()) {
            throw ApiException.forbidden();
        }
        return caller;
    }
}
