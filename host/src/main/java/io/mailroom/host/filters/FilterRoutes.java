package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.mime.MessageParser;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/filters/validate} and {@code POST /api/mailboxes/{id}/filter/preview}. A preview
 * is a dry run: it reads stored messages (parsing their raw bytes again, as a sync would see
 * them) and changes nothing. It scans at most {@value FilterPreview#MAX_SCAN} messages per call, in id order;
 * {@code next_cursor} continues the scan.
 */
public final class FilterRoutes implements RouteGroup {

    private final Jdbi jdbi;
    private final Mailboxes mailboxes;
    private final FilterCompiler compiler;
    private final FilterPreview preview;

    public FilterRoutes(Jdbi jdbi, Mailboxes mailboxes, FilterCompiler compiler, MessageParser parser) {
        this.jdbi = jdbi;
        this.mailboxes = mailboxes;
        this.compiler = compiler;
        this.preview = new FilterPreview(jdbi, parser);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/filters/validate", ctx -> {
            Authentication.caller(ctx);
            JsonNode body = ctx.bodyAsClass(JsonNode.class);
            if (body == null || !body.isObject() || !body.has("filter_query")) {
                throw ApiException.invalid("filter_query", "filter_query is required");
            }
            IntakeSection.checkFilter(compiler, body.get("filter_query"), "filter_query");
            ctx.json(Map.of("valid", true));
        });
        routes.post("/api/mailboxes/{id}/filter/preview", ctx -> {
            Mailbox mailbox = mailboxes.visible(Authentication.caller(ctx), PathIds.id(ctx));
            JsonNode body = ctx.body().isBlank() ? null : ctx.bodyAsClass(JsonNode.class);
            JsonNode query;
            if (body != null && body.has("filter_query")) {
                query = body.get("filter_query");
            } else {
                // none given: the mailbox's own filter
                query = jdbi.onDemand(MailboxIntakeDao.class).find(mailbox.id()).map(MailboxIntake::filterQuery)
                        .map(Json::tree).orElse(null);
            }
            MessageFilter filter = IntakeSection.checkFilter(compiler, query, "filter_query");
            PageRequest page = PageRequest.from(ctx, FilterPreview.MAX_SCAN);
            ctx.json(preview(mailbox, filter, page));
        });
    }

    private Map<String, Object> preview(Mailbox mailbox, MessageFilter filter, PageRequest page) {
        FilterPreview.Scan scan = preview.mailbox(mailbox.id(), filter, page);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("items", scan.matches().stream().map(FilterPreview::view).toList());
        view.put("scanned", scan.scanned());
        view.put("next_cursor", scan.nextCursor());
        return view;
    }
}
