package io.mailroom.host.outbound;

import io.javalin.config.RoutesConfig;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.MessageRoutes;
import io.mailroom.host.messages.StoredMessage;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/send}: answers with the stored outbound message as soon as it is committed
 * (202 while it is queued), plus {@code warnings} (template variables the context lacked) and
 * {@code delivery} (attempts, the server's last reply). {@code GET /api/messages/{id}/delivery}
 * shows where an outbound message's delivery stands.
 */
public final class SendRoutes implements RouteGroup {

    private final Jdbi jdbi;
    private final SendService sender;

    public SendRoutes(Jdbi jdbi, SendService sender) {
        this.jdbi = jdbi;
        this.sender = sender;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/send", ctx -> {
            User caller = Authentication.caller(ctx);
            SendService.Queued queued = sender.send(caller, ctx.bodyAsClass(SendRequest.class),
                    ctx.header("Idempotency-Key"));
            Map<String, Object> body = answer(caller, queued.messageId());
            body.put("warnings", queued.warnings());
            ctx.status("queued".equals(body.get("status")) ? 202 : 200).json(body);
        });
        routes.get("/api/messages/{id}/delivery", ctx -> {
            long id = PathIds.id(ctx);
            answer(Authentication.caller(ctx), id);
            ctx.json(jdbi.onDemand(OutboxDao.class).delivery(id)
                    .orElseThrow(() -> ApiException.notFound("delivery of message " + id)));
        });
    }

    private Map<String, Object> answer(User caller, long messageId) {
        MessageDao messages = jdbi.onDemand(MessageDao.class);
        StoredMessage message = messages.findVisible(messageId, Mailboxes.viewer(caller))
                .orElseThrow(() -> ApiException.notFound("message " + messageId));
        Map<String, Object> body = new LinkedHashMap<>(MessageRoutes.view(message, messages.attachments(messageId), true));
        body.put("delivery", jdbi.onDemand(OutboxDao.class).delivery(messageId).orElse(null));
        body.putIfAbsent("warnings", List.of());
        return body;
    }
}
