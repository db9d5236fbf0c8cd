package io.mailroom.host.http;

import io.javalin.http.Context;
import io.mailroom.host.auth.ApiTokens;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.Users;
import io.mailroom.host.auth.UserDao;
import io.mailroom.host.errors.ApiException;

/**
 * Resolves the bearer token of every {@code /api} request to its user before any route runs,
 * and gives routes the caller. Requests without a valid token never reach a route.
 */
public final class Authentication {

    private static final String CALLER = "mailroom.caller";
    private static final String BEARER = "Bearer ";

    private final UserDao users;

    public Authentication(UserDao users) {
        this.users = users;
    }

    /** The before-handler for {@code /api/*}. */
    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized();
        }
        String token = header.substring(BEARER.length()).trim();
        User caller = users.authenticate(ApiTokens.hash(token)).orElseThrow(ApiException::unauthorized);
        ctx.attribute(CALLER, caller);
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
            throw new ApiException(403, "forbidden", "reading metrics needs the metrics capability", java.util.Map.of());
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
