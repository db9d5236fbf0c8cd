package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.filters.FilterPreview;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailboxes;

/**
 * {@code /api/rules}: a user's rules (see {@link Rules} for who may do what), and
 * {@code POST /api/rules/{id}/preview}, a dry run over stored mail ({@link RulePreview}).
 */
public final class RuleRoutes implements RouteGroup {

    private final Rules rules;
    private final Mailboxes mailboxes;
    private final RulePreview preview;

    public RuleRoutes(Rules rules, Mailboxes mailboxes, RulePreview preview) {
        this.rules = rules;
        this.mailboxes = mailboxes;
        this.preview = preview;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/rules", ctx -> {
            User caller = Authentication.caller(ctx);
            Long mailboxId = mailboxParam(caller, ctx.queryParam("mailbox_id"));
            Page<Rule> page = rules.page(caller, mailboxId, PageRequest.from(ctx));
            ctx.json(new Page<>(page.items().stream().map(rules::view).toList(), page.nextCursor(), page.total()));
        });
        routes.post("/api/rules", ctx -> {
            User caller = Authentication.caller(ctx);
            ctx.status(201).json(rules.view(rules.create(caller, body(ctx))));
        });
        routes.get("/api/rules/{id}", ctx -> ctx.json(rules.view(rules.visible(Authentication.caller(ctx), PathIds.id(ctx)))));
        routes.put("/api/rules/{id}", ctx -> {
            User caller = Authentication.caller(ctx);
            ctx.json(rules.view(rules.update(caller, PathIds.id(ctx), body(ctx))));
        });
        routes.delete("/api/rules/{id}", ctx -> {
            rules.delete(Authentication.caller(ctx), PathIds.id(ctx));
            ctx.status(204);
        });
        routes.post("/api/rules/{id}/preview", ctx -> {
            Rule rule = rules.visible(Authentication.caller(ctx), PathIds.id(ctx));
            ctx.json(preview.preview(rule, PageRequest.from(ctx, FilterPreview.MAX_SCAN)));
        });
    }

    private static JsonNode body(Context ctx) {
        if (ctx.body().isBlank()) {
            throw new ApiException(400, "invalid_json", "the body is empty; send a JSON object", java.util.Map.of());
        }
        return ctx.bodyAsClass(JsonNode.class);
    }

    /** {@code ?mailbox_id=}: a mailbox the caller can see (another user's is a 404). */
    private Long mailboxParam(User caller, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("mailbox_id", "mailbox_id must be a mailbox's id");
        }
        return mailboxes.visible(caller, id).id();
    }
}
