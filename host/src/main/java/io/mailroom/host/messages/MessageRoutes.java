package io.mailroom.host.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.host.http.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.pipeline.Reprocessing;
import io.mailroom.host.store.BlobDao;
import io.mailroom.host.store.MessageDao;
import io.mailroom.host.store.QuarantineDao;
import io.mailroom.host.store.ThreadDao;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/messages}, {@code /api/threads} and {@code /api/quarantine}. */
public final class MessageRoutes implements RouteGroup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final Reprocessing reprocessing;

    public MessageRoutes(Jdbi jdbi, Reprocessing reprocessing) {
        this.jdbi = jdbi;
        this.reprocessing = reprocessing;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/messages", this::list);
        routes.get("/api/messages/{id}", ctx -> {
            StoredMessage message = message(ctx);
            ctx.json(view(message));
        });
        routes.get("/api/messages/{id}/raw", ctx -> {
            StoredMessage message = message(ctx);
            ctx.contentType("message/rfc822").result(blob(message.contentHash()));
        });
        routes.get("/api/messages/{id}/attachments/{index}", ctx -> {
            StoredMessage message = message(ctx);
            int index = index(ctx);
            StoredAttachment attachment = jdbi.onDemand(MessageDao.class).attachments(message.id()).stream()
                    .filter(candidate -> candidate.index() == index).findFirst()
                    .orElseThrow(() -> ApiException.notFound("attachment " + index + " of message " + message.id()));
            if (!attachment.stored()) {
                throw new ApiException(404, "not_stored", "attachment " + index + " was over the size limit; "
                        + "only its metadata was kept (the raw message has it)", Map.of());
            }
            if (attachment.filename() != null) {
                ctx.header("Content-Disposition", "attachment; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(attachment.filename(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
            }
            ctx.contentType(attachment.contentType()).result(blob(attachment.sha256()));
        });
        routes.post("/api/messages/{id}/reprocess", ctx -> {
            StoredMessage message = message(ctx);
            reprocessing.reprocess(message);
            ctx.json(view(message(ctx)));
        });
        routes.get("/api/threads", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            Long mailboxId = longParam(ctx, "mailbox_id");
            PageRequest page = PageRequest.from(ctx);
            ThreadDao threads = jdbi.onDemand(ThreadDao.class);
            ctx.json(page.page(threads.page(viewer, mailboxId, page.afterId(), page.fetchSize()), MailThread::id,
                    threads.count(viewer, mailboxId)));
        });
        routes.get("/api/threads/{id}/messages", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            long id = PathIds.id(ctx);
            jdbi.onDemand(ThreadDao.class).findVisible(id, viewer).orElseThrow(() -> ApiException.notFound("thread " + id));
            List<Map<String, Object>> messages = jdbi.onDemand(MessageDao.class).inThread(id).stream().map(this::view).toList();
            ctx.json(new Page<>(messages, null, messages.size()));
        });
        routes.get("/api/quarantine", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            Long mailboxId = longParam(ctx, "mailbox_id");
            PageRequest page = PageRequest.from(ctx);
            QuarantineDao quarantine = jdbi.onDemand(QuarantineDao.class);
            ctx.json(page.page(quarantine.page(viewer, mailboxId, page.afterId(), page.fetchSize()),
                    QuarantinedMessage::id, quarantine.count(viewer, mailboxId)));
        });
        routes.post("/api/quarantine/{id}/retry", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            long id = PathIds.id(ctx);
            QuarantinedMessage quarantined = jdbi.onDemand(QuarantineDao.class).findVisible(id, viewer)
                    .orElseThrow(() -> ApiException.notFound("quarantined message " + id));
            long messageId;
            try {
                messageId = reprocessing.retry(quarantined);
            } catch (RuntimeException e) {
                throw new ApiException(422, "retry_failed", "the message still cannot be processed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), Map.of());
            }
            ctx.json(view(jdbi.onDemand(MessageDao.class).findVisible(messageId, viewer).orElseThrow()));
        });
    }

    private void list(Context ctx) {
        Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
        Long mailboxId = longParam(ctx, "mailbox_id");
        Long threadId = longParam(ctx, "thread_id");
        String folder = ctx.queryParam("folder");
        String direction = ctx.queryParam("direction");
        if (direction != null && !direction.equals("inbound") && !direction.equals("outbound")) {
            throw ApiException.invalid("direction", "direction must be inbound or outbound");
        }
        Instant since = instantParam(ctx, "since");
        String q = ctx.queryParam("q");
        PageRequest page = PageRequest.from(ctx);
        MessageDao messages = jdbi.onDemand(MessageDao.class);
        Page<StoredMessage> rows = page.page(messages.page(viewer, mailboxId, threadId, folder, direction, since, q,
                page.afterId(), page.fetchSize()), StoredMessage::id, messages.count(viewer, mailboxId, threadId, folder,
                direction, since, q));
        ctx.json(new Page<>(rows.items().stream().map(this::view).toList(), rows.nextCursor(), rows.total()));
    }

    private StoredMessage message(Context ctx) {
        long id = PathIds.id(ctx);
        return jdbi.onDemand(MessageDao.class).findVisible(id, Mailboxes.viewer(Authentication.caller(ctx)))
                .orElseThrow(() -> ApiException.notFound("message " + id));
    }

    private byte[] blob(String hash) {
        return jdbi.onDemand(BlobDao.class).content(hash).orElseThrow(() -> ApiException.notFound("content " + hash));
    }

    private Map<String, Object> view(StoredMessage message) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", message.id());
        view.put("mailbox_id", message.mailboxId());
        view.put("folder", message.folder());
        view.put("uid", message.uid());
        view.put("message_id", message.messageId());
        view.put("in_reply_to", message.inReplyTo());
        view.put("references", message.refs());
        view.put("thread_id", message.threadId());
        view.put("direction", message.direction());
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("name", message.fromName());
        from.put("email", message.fromEmail());
        view.put("from", from);
        view.put("to", tree(message.toAddresses()));
        view.put("cc", tree(message.ccAddresses()));
        view.put("subject", message.subject());
        view.put("date", message.sentAt());
        view.put("received_at", message.receivedAt());
        view.put("flags", message.flags());
        view.put("size", message.size());
        view.put("text", message.textBody());
        view.put("html", message.htmlBody());
        view.put("attachments", jdbi.onDemand(MessageDao.class).attachments(message.id()).stream().map(a -> {
            Map<String, Object> attachment = new LinkedHashMap<>();
            attachment.put("index", a.index());
            attachment.put("filename", a.filename());
            attachment.put("content_type", a.contentType());
            attachment.put("size", a.size());
            attachment.put("stored", a.stored());
            return attachment;
        }).toList());
        view.put("classification", message.classification());
        view.put("status", message.status());
        view.put("tags", message.tags());
        view.put("deleted_on_server", message.deletedOnServer());
        view.put("post_action_error", message.postActionError());
        return view;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int index(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound(ctx.path());
        }
    }

    private static Long longParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be a whole number");
        }
    }

    private static Instant instantParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, name + " must be an ISO-8601 UTC time like 2026-01-31T00:00:00Z");
        }
    }
}
