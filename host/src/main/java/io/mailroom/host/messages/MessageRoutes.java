package io.mailroom.host.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.QueryParams;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /api/messages}, {@code /api/threads} and {@code /api/quarantine}. Lists leave out the
 * message bodies unless asked ({@code ?include=body}, then at most
 * {@value #MAX_LIMIT_WITH_BODIES} a page); one message is read whole. Raw bytes and attachments
 * leave as downloads ({@link Downloads}).
 */
public final class MessageRoutes implements RouteGroup {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most messages a page holds with {@code ?include=body}. */
    static final int MAX_LIMIT_WITH_BODIES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(MessageRoutes.class);

    private final Jdbi jdbi;
    private final Reprocess reprocessing;
    private final MessageParser parser;

    /** @param parser reads attachments again from their raw messages, with the bounds the import had */
    public MessageRoutes(Jdbi jdbi, Reprocess reprocessing, MessageParser parser) {
        this.jdbi = jdbi;
        this.reprocessing = reprocessing;
        this.parser = parser;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/messages", this::list);
        routes.get("/api/messages/{id}", ctx -> ctx.json(view(message(ctx))));
        routes.get("/api/messages/{id}/raw", ctx -> {
            StoredMessage message = message(ctx);
            BlobStream raw = blob(message.contentHash());
            Downloads.send(ctx, "message/rfc822", "message-" + message.id() + ".eml", raw, raw.size());
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
            String filename = attachment.filename() != null ? attachment.filename() : "attachment-" + index;
            if (!attachment.inRawMessage()) {
                // stored before V20, decoded, as a blob of its own
                BlobStream content = blob(attachment.sha256());
                Downloads.send(ctx, attachment.contentType(), filename, content, content.size());
                return;
            }
            try (BlobStream raw = blob(message.contentHash())) {
                AttachmentCopy.copy(parser, raw, attachment, () -> {
                    Downloads.headers(ctx, attachment.contentType(), filename, attachment.size());
                    return ctx.outputStream();
                });
            } catch (AttachmentCopy.Unreadable e) {
                LOG.warn("Attachment {} of message {} cannot be read from the raw message: {}", index, message.id(),
                        e.getMessage());
                throw new ApiException(500, "attachment_unreadable", "attachment " + index
                        + " cannot be read from the raw message now; the raw message has it", Map.of());
            } catch (AttachmentCopy.Mismatch e) {
                // the response is under way: ending it a byte short is how the client learns it broke
                LOG.error("Attachment {} of message {} read from the raw message is not what was stored: {}", index,
                        message.id(), e.getMessage());
                throw e;
            }
        });
        routes.post("/api/messages/{id}/reprocess", ctx -> {
            StoredMessage message = message(ctx);
            String repeat = ctx.queryParam("repeat_actions");
            if (repeat != null && !repeat.equals("true") && !repeat.equals("false")) {
                throw ApiException.invalid("repeat_actions", "repeat_actions must be true or false");
            }
            reprocessing.reprocess(message, "true".equals(repeat));
            ctx.json(view(message(ctx)));
        });
        routes.get("/api/threads", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            Long mailboxId = visibleMailboxParam(ctx, viewer);
            PageRequest page = PageRequest.from(ctx);
            ThreadDao threads = jdbi.onDemand(ThreadDao.class);
            ctx.json(page.page(threads.page(viewer, mailboxId, page.afterId(), page.fetchSize()), MailThread::id,
                    threads.count(viewer, mailboxId)));
        });
        routes.get("/api/threads/{id}/messages", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            long id = PathIds.id(ctx);
            jdbi.onDemand(ThreadDao.class).findVisible(id, viewer).orElseThrow(() -> ApiException.notFound("thread " + id));
            boolean bodies = includesBodies(ctx);
            PageRequest page = pageOf(ctx, bodies);
            MessageListDao dao = jdbi.onDemand(MessageListDao.class);
            Page<StoredMessage> rows = page.pageAtOffset(dao.inThread(columns(bodies), id, page.offset(),
                    page.fetchSize()), dao.countInThread(id));
            ctx.json(new Page<>(views(rows.items(), bodies), rows.nextCursor(), rows.total()));
        });
        routes.get("/api/quarantine", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            Long mailboxId = visibleMailboxParam(ctx, viewer);
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
        Long mailboxId = visibleMailboxParam(ctx, viewer);
        Long threadId = QueryParams.optionalLong(ctx, "thread_id");
        String folder = ctx.queryParam("folder");
        String direction = ctx.queryParam("direction");
        if (direction != null && !direction.equals("inbound") && !direction.equals("outbound")) {
            throw ApiException.invalid("direction", "direction must be inbound or outbound");
        }
        Instant since = QueryParams.optionalInstant(ctx, "since");
        String q = ctx.queryParam("q");
        boolean bodies = includesBodies(ctx);
        PageRequest page = pageOf(ctx, bodies);
        Page<StoredMessage> rows = page.page(jdbi.onDemand(MessageListDao.class).page(columns(bodies), viewer,
                mailboxId, threadId, folder, direction, since, q, page.afterId(), page.fetchSize()), StoredMessage::id,
                jdbi.onDemand(MessageDao.class).count(viewer, mailboxId, threadId, folder, direction, since, q));
        ctx.json(new Page<>(views(rows.items(), bodies), rows.nextCursor(), rows.total()));
    }

    /** {@code ?include=body}: whether a list carries each message's text and HTML. */
    private static boolean includesBodies(Context ctx) {
        boolean bodies = false;
        for (String include : ctx.queryParams("include")) {
            for (String part : include.split(",", -1)) {
                if (!part.trim().equals("body")) {
                    throw ApiException.invalid("include", "include may only be body");
                }
                bodies = true;
            }
        }
        return bodies;
    }

    /** Pages with the bodies are bounded lower: each message may carry megabytes of text. */
    private static PageRequest pageOf(Context ctx, boolean bodies) {
        return bodies ? PageRequest.from(ctx, MAX_LIMIT_WITH_BODIES) : PageRequest.from(ctx);
    }

    private static String columns(boolean bodies) {
        return bodies ? MessageListDao.WITH_BODIES : MessageListDao.WITHOUT_BODIES;
    }

    /** A {@code ?mailbox_id=} filter; another user's mailbox is a 404 like a missing one. */
    private Long visibleMailboxParam(Context ctx, Long viewer) {
        Long mailboxId = QueryParams.optionalLong(ctx, "mailbox_id");
        if (mailboxId != null && jdbi.onDemand(MailboxDao.class).findVisible(mailboxId, viewer).isEmpty()) {
            throw ApiException.notFound("mailbox " + mailboxId);
        }
        return mailboxId;
    }

    /** The views of a page of messages, their attachments read in one query. */
    private List<Map<String, Object>> views(List<StoredMessage> messages, boolean bodies) {
        Map<Long, List<StoredAttachment>> attachments = messages.isEmpty() ? Map.of()
                : jdbi.onDemand(MessageListDao.class).attachmentsOf(messages.stream().mapToLong(StoredMessage::id).toArray())
                .stream().collect(Collectors.groupingBy(StoredAttachment::messageId));
        return messages.stream().map(message -> view(message, attachments.getOrDefault(message.id(), List.of()), bodies))
                .toList();
    }

    private StoredMessage message(Context ctx) {
        long id = PathIds.id(ctx);
        return jdbi.onDemand(MessageDao.class).findVisible(id, Mailboxes.viewer(Authentication.caller(ctx)))
                .orElseThrow(() -> ApiException.notFound("message " + id));
    }

    private BlobStream blob(String hash) {
        BlobStream stream = BlobStream.open(jdbi, hash);
        if (stream == null) {
            throw ApiException.notFound("content " + hash);
        }
        return stream;
    }

    /** The whole message, as {@code GET /api/messages/{id}} answers it, with what its processing chain did. */
    private Map<String, Object> view(StoredMessage message) {
        Map<String, Object> view = view(message, jdbi.onDemand(MessageDao.class).attachments(message.id()), true);
        view.put("processing", jdbi.onDemand(ProcessingStepDao.class).forMessage(message.id()).stream()
                .map(MessageRoutes::step).toList());
        return view;
    }

    /** One recorded step of the processing chain, as the API shows it. */
    private static Map<String, Object> step(ProcessingStep step) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("step", step.step());
        shown.put("rule_id", step.ruleId() == 0 ? null : step.ruleId());
        shown.put("action_index", step.actionIndex() < 0 ? null : step.actionIndex());
        shown.put("action", step.action());
        shown.put("status", step.status());
        shown.put("at", step.at());
        shown.put("error", step.error());
        shown.put("detail", step.detail());
        shown.put("generation", step.generation());
        return shown;
    }

    /** A message as the API shows it (also the answer of {@code POST /api/send}). */
    public static Map<String, Object> view(StoredMessage message, List<StoredAttachment> attachments, boolean bodies) {
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
        if (bodies) {
            view.put("text", message.textBody());
            view.put("html", message.htmlBody());
        }
        view.put("attachments", attachments.stream().map(a -> {
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
}
