package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /api/filters/validate} and {@code POST /api/mailboxes/{id}/filter/preview}. A preview
 * is a dry run: it reads stored messages (parsing their raw bytes again, as a sync would see
 * them) and changes nothing. It scans at most {@value #MAX_SCAN} messages per call, in id order;
 * {@code next_cursor} continues the scan.
 */
public final class FilterRoutes implements RouteGroup {

    static final int MAX_SCAN = 200;

    private final Jdbi jdbi;
    private final Mailboxes mailboxes;
    private final FilterCompiler compiler;
    private final MessageParser parser;

    public FilterRoutes(Jdbi jdbi, Mailboxes mailboxes, FilterCompiler compiler, MessageParser parser) {
        this.jdbi = jdbi;
        this.mailboxes = mailboxes;
        this.compiler = compiler;
        this.parser = parser;
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
            PageRequest page = PageRequest.from(ctx, MAX_SCAN);
            ctx.json(preview(mailbox, filter, page));
        });
    }

    private Map<String, Object> preview(Mailbox mailbox, MessageFilter filter, PageRequest page) {
        List<PreviewCandidate> rows = jdbi.onDemand(PreviewDao.class).page(mailbox.id(), page.afterId(), page.fetchSize());
        Page<PreviewCandidate> scanned = page.page(rows, PreviewCandidate::id, 0);
        KnownSenders known = jdbi.withHandle(handle -> KnownSenders.load(handle,
                scanned.items().stream().map(PreviewCandidate::fromEmail).filter(Objects::nonNull).toList()));
        BlobDao blobs = jdbi.onDemand(BlobDao.class);
        List<Map<String, Object>> matches = new ArrayList<>();
        for (PreviewCandidate row : scanned.items()) {
            byte[] raw = blobs.content(row.contentHash()).orElse(null);
            if (raw == null) {
                continue;
            }
            try (ParsedMessage parsed = parser.parse(new ByteArrayInputStream(raw))) {
                MessageFacts facts = new MessageFacts(parsed, row.folder(), row.classification(), row.direction(),
                        row.tags(), row.size(), row.receivedAt(), known);
                if (filter.test(facts)) {
                    matches.add(view(row));
                }
            } catch (IOException | RuntimeException e) {
                // a message that cannot be read again is not a match; the preview goes on
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("items", matches);
        view.put("scanned", scanned.items().size());
        view.put("next_cursor", scanned.nextCursor());
        return view;
    }

    private static Map<String, Object> view(PreviewCandidate row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.id());
        view.put("folder", row.folder());
        view.put("from", row.fromEmail());
        view.put("subject", row.subject());
        view.put("date", row.sentAt());
        return view;
    }
}
