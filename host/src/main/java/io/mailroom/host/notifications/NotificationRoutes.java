package io.mailroom.host.notifications;

import io.javalin.config.RoutesConfig;
import io.mailroom.host.auth.User;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.RouteGroup;
import org.jdbi.v3.core.Jdbi;

/** {@code GET /api/notifications}: the caller's notifications, newest first. */
public final class NotificationRoutes implements RouteGroup {

    private final Jdbi jdbi;

    public NotificationRoutes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/notifications", ctx -> {
            User caller = Authentication.caller(ctx);
            PageRequest page = PageRequest.from(ctx);
            NotificationDao dao = jdbi.onDemand(NotificationDao.class);
            ctx.json(page.page(dao.newestFirst(caller.id(), page.afterId(), page.fetchSize()), Notification::id,
                    dao.count(caller.id())));
        });
    }
}
