package io.mailroom.host.templates;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/templates}: a user's mail templates. Each one is compiled when saved, so a syntax
 * error is a 400 naming the field, never a failure at send time.
 */
public final class TemplateRoutes implements RouteGroup {

    static final int MAX_BODY = 1024 * 1024;

    private final Jdbi jdbi;
    private final TemplateRenderer renderer;

    public TemplateRoutes(Jdbi jdbi, TemplateRenderer renderer) {
        this.jdbi = jdbi;
        this.renderer = renderer;
    }

    /** A template as a client sends it. */
    public record TemplateInput(String name, String subject, String text, String html) {
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/templates", ctx -> {
            Long viewer = viewer(Authentication.caller(ctx));
            PageRequest page = PageRequest.from(ctx);
            TemplateDao dao = jdbi.onDemand(TemplateDao.class);
            var rows = page.page(dao.page(viewer, page.afterId(), page.fetchSize()), Template::id, dao.count(viewer));
            ctx.json(new io.mailroom.host.http.Page<>(rows.items().stream().map(TemplateRoutes::view).toList(),
                    rows.nextCursor(), rows.total()));
        });
        routes.post("/api/templates", ctx -> {
            User caller = Authentication.caller(ctx);
            TemplateInput in = checked(ctx.bodyAsClass(TemplateInput.class));
            TemplateDao dao = jdbi.onDemand(TemplateDao.class);
            long id = dao.insert(caller.id(), in.name(), in.subject() == null ? "" : in.subject(), in.text(), in.html());
            ctx.status(201).json(view(dao.findVisible(id, null).orElseThrow()));
        });
        routes.get("/api/templates/{id}", ctx -> ctx.json(view(visible(ctx))));
        routes.put("/api/templates/{id}", ctx -> {
            Template old = visible(ctx);
            TemplateInput given = ctx.bodyAsClass(TemplateInput.class);
            TemplateInput in = checked(new TemplateInput(given.name() == null ? old.name() : given.name(),
                    given.subject() == null ? old.subject() : given.subject(),
                    given.text() == null ? old.textBody() : given.text(),
                    given.html() == null ? old.htmlBody() : given.html()));
            TemplateDao dao = jdbi.onDemand(TemplateDao.class);
            dao.update(old.id(), in.name(), in.subject(), in.text(), in.html());
            ctx.json(view(dao.findVisible(old.id(), null).orElseThrow()));
        });
        routes.delete("/api/templates/{id}", ctx -> {
            long id = PathIds.id(ctx);
            if (jdbi.onDemand(TemplateDao.class).delete(id, viewer(Authentication.caller(ctx))) == 0) {
                throw ApiException.notFound("template " + id);
            }
            ctx.status(204);
        });
    }

    private TemplateInput checked(TemplateInput in) {
        if (in.name() == null || in.name().isBlank() || in.name().length() > 200) {
            throw ApiException.invalid("name", "name is required, at most 200 characters");
        }
        if (in.subject() != null && (in.subject().length() > 998 || in.subject().indexOf('\r') >= 0
                || in.subject().indexOf('\n') >= 0 || in.subject().indexOf('\0') >= 0)) {
            throw ApiException.invalid("subject", "subject must be one line of at most 998 characters");
        }
        if (in.text() == null && in.html() == null) {
            throw ApiException.invalid("text", "a template needs text or html");
        }
        for (var field : Map.of("text", in.text() == null ? "" : in.text(), "html", in.html() == null ? "" : in.html())
                .entrySet()) {
            if (field.getValue().length() > MAX_BODY) {
                throw ApiException.invalid(field.getKey(), field.getKey() + " is longer than " + MAX_BODY + " characters");
            }
        }
        renderer.check("subject", in.subject(), false);
        renderer.check("text", in.text(), false);
        renderer.check("html", in.html(), true);
        return in;
    }

    private Template visible(Context ctx) {
        long id = PathIds.id(ctx);
        return jdbi.onDemand(TemplateDao.class).findVisible(id, viewer(Authentication.caller(ctx)))
                .orElseThrow(() -> ApiException.notFound("template " + id));
    }

    static Long viewer(User caller) {
        return caller.isSuperadmin() ? null : caller.id();
    }

    static Map<String, Object> view(Template template) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", template.id());
        view.put("user_id", template.userId());
        view.put("name", template.name());
        view.put("subject", template.subject());
        view.put("text", template.textBody());
        view.put("html", template.htmlBody());
        view.put("created_at", template.createdAt());
        view.put("updated_at", template.updatedAt());
        return view;
    }
}
