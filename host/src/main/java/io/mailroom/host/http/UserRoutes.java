package io.mailroom.host.http;

import io.javalin.config.RoutesConfig;
import io.mailroom.host.auth.ApiToken;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.UserInput;
import io.mailroom.host.auth.Users;
import io.mailroom.host.auth.TokenDao;
import io.mailroom.host.auth.UserDao;
import io.mailroom.host.errors.ApiException;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;

/**
 * {@code /api/me}, {@code /api/users} (superadmin only) and {@code /api/tokens}: a user lists and
 * revokes their own tokens, a superadmin everyone's.
 */
public final class UserRoutes implements RouteGroup {

    private final Users users;
    private final Jdbi jdbi;

    public UserRoutes(Users users, Jdbi jdbi) {
        this.users = users;
        this.jdbi = jdbi;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/me", ctx -> {
            User caller = Authentication.caller(ctx);
            ctx.json(Map.of("id", caller.id(), "name", caller.name(), "email", caller.email(), "role", caller.role()));
        });
        routes.get("/api/users", ctx -> {
            Authentication.superadmin(ctx);
            PageRequest page = PageRequest.from(ctx);
            UserDao dao = jdbi.onDemand(UserDao.class);
            ctx.json(page.page(dao.page(page.afterId(), page.fetchSize()), User::id, dao.count()));
        });
        routes.post("/api/users", ctx -> {
            Authentication.superadmin(ctx);
            ctx.status(201).json(users.create(ctx.bodyAsClass(UserInput.class)));
        });
        routes.get("/api/users/{id}", ctx -> {
            Authentication.superadmin(ctx);
            long id = PathIds.id(ctx);
            ctx.json(users.find(id).orElseThrow(() -> ApiException.notFound("user " + id)));
        });
        routes.put("/api/users/{id}", ctx -> {
            Authentication.superadmin(ctx);
            ctx.json(users.update(PathIds.id(ctx), ctx.bodyAsClass(UserInput.class)));
        });
        routes.delete("/api/users/{id}", ctx -> {
            Authentication.superadmin(ctx);
            users.delete(PathIds.id(ctx));
            ctx.status(204);
        });
        routes.get("/api/tokens", ctx -> {
            Long viewer = viewer(Authentication.caller(ctx));
            PageRequest page = PageRequest.from(ctx);
            TokenDao dao = jdbi.onDemand(TokenDao.class);
            ctx.json(page.page(dao.page(viewer, page.afterId(), page.fetchSize()), ApiToken::id, dao.count(viewer)));
        });
        routes.delete("/api/tokens/{id}", ctx -> {
            long id = PathIds.id(ctx);
            // Another user's token is a 404 like a missing one: its existence is not revealed.
            if (jdbi.onDemand(TokenDao.class).revoke(id, viewer(Authentication.caller(ctx))) == 0) {
                throw ApiException.notFound("token " + id);
            }
            ctx.status(204);
        });
        routes.post("/api/tokens", ctx -> {
            User caller = Authentication.caller(ctx);
            TokenRequest request = ctx.bodyAsClass(TokenRequest.class);
            if (request.userId() == null) {
                throw ApiException.invalid("user_id", "user_id is required");
            }
            boolean allowed = caller.isSuperadmin() || caller.id() == request.userId();
            if (!allowed || users.find(request.userId()).isEmpty()) {
                throw ApiException.notFound("user " + request.userId());
            }
            ctx.status(201).json(Map.of("token", users.issueToken(request.userId(), request.name())));
        });
    }

    /** Whose tokens the caller sees: their own, or (null) everyone's for a superadmin. */
    private static Long viewer(User caller) {
        return caller.isSuperadmin() ? null : caller.id();
    }

    record TokenRequest(Long userId, String name) {
    }
}
