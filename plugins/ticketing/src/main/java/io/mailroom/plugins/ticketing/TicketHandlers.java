package io.mailroom.plugins.ticketing;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteRequest;
import io.mailroom.api.route.RouteResponse;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /tickets}, {@code /tickets/{ref}} and what is done to one ticket: close, reopen, reply. */
final class TicketHandlers {

    private TicketHandlers() {
    }

    static RouteResponse list(RouteRequest request, ExtensionContext context) {
        String status = request.queryParameter("status").filter(text -> !text.isBlank()).orElse(null);
        if (status != null && !Ticket.OPEN.equals(status) && !Ticket.CLOSED.equals(status)) {
            throw RouteException.badRequest("status", "status is open or closed");
        }
        TicketQuery query = new TicketQuery(status, RequestValues.queryId(request, "company_id").orElse(null),
                RequestValues.queryId(request, "contact_id").orElse(null));
        int limit = RequestValues.limit(request);
        Long before = RequestValues.queryId(request, "cursor").orElse(null);
        Caller caller = Caller.of(request, context);
        return Jdbc.inTransaction(context.database(), connection -> {
            TicketStore tickets = new TicketStore(connection);
            List<Ticket> page = tickets.list(query, caller.mailboxIds(), before, limit + 1);
            boolean more = page.size() > limit;
            List<Ticket> items = more ? page.subList(0, limit) : page;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items.stream().map(Ticket::toJson).toList());
            body.put("next_cursor", more ? Long.toString(items.getLast().id()) : null);
            body.put("total", tickets.count(query, caller.mailboxIds()));
            return RouteResponse.ok(body);
        });
    }

    static RouteResponse get(RouteRequest request, ExtensionContext context) {
        Caller caller = Caller.of(request, context);
        return Jdbc.inTransaction(context.database(), connection -> {
            Ticket ticket = visible(connection, request, caller);
            return RouteResponse.ok(withMessages(ticket, new TicketStore(connection).messagesOf(ticket.id())));
        });
    }

    static RouteResponse close(RouteRequest request, ExtensionContext context) {
        return setStatus(request, context, Ticket.CLOSED);
    }

    static RouteResponse reopen(RouteRequest request, ExtensionContext context) {
        return setStatus(request, context, Ticket.OPEN);
    }

    /**
     * Sends the reply through the outbox, answering the ticket's latest inbound message, then files
     * it. Sending comes first and outside the transaction: the outbox commits on its own, and a
     * retry with the same {@code idempotency_key} gets the same message back and files it then.
     */
    static RouteResponse reply(RouteRequest request, ExtensionContext context) {
        Map<String, Object> body = RequestValues.bodyObject(request);
        Optional<String> text = RequestValues.string(body, "text").filter(value -> !value.isBlank());
        Optional<String> html = RequestValues.string(body, "html").filter(value -> !value.isBlank());
        Optional<String> key = RequestValues.string(body, "idempotency_key").filter(value -> !value.isBlank());
        if (text.isEmpty() && html.isEmpty()) {
            throw RouteException.badRequest("text", "give text or html");
        }
        if (!RequestValues.list(body, "attachments").isEmpty()) {
            // OutgoingMail carries no attachments yet: refuse rather than send without them.
            throw new RouteException(400, "attachments_not_supported", "attachments",
                    "a ticket reply cannot carry attachments yet; send it without them");
        }
        Caller caller = Caller.of(request, context);
        record Target(Ticket ticket, long replyTo) {
        }
        Target target = Jdbc.inTransaction(context.database(), connection -> {
            Ticket ticket = visible(connection, request, caller);
            long replyTo = new TicketStore(connection).latestInbound(ticket.id()).orElseThrow(() ->
                    RouteException.conflict("ticket_without_inbound_message", "the ticket has no message to answer"));
            return new Target(ticket, replyTo);
        });
        Ticket ticket = target.ticket();
        OutgoingMail mail = TicketMail.reply(ticket, target.replyTo(), text.orElse(null), html.orElse(null),
                key.map(value -> "ticketing:reply:" + ticket.id() + ":" + value).orElse(null));
        long sent;
        try {
            sent = context.outboundMail().send(mail);
        } catch (IllegalArgumentException refused) {
            throw new RouteException(400, "cannot_send", null, refused.getMessage());
        }
        Instant now = context.clock().instant();
        Jdbc.inTransaction(context.database(), connection ->
                new TicketStore(connection).file(ticket, sent, null, List.of(), TicketMessage.OUTBOUND, null, now));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", sent);
        answer.put("mailbox_id", ticket.mailboxId());
        answer.put("direction", TicketMessage.OUTBOUND);
        answer.put("subject", mail.subject());
        answer.put("reply_to_message_id", target.replyTo());
        answer.put("ticket_ref", ticket.ref());
        return RouteResponse.created(answer);
    }

    private static RouteResponse setStatus(RouteRequest request, ExtensionContext context, String status) {
        Caller caller = Caller.of(request, context);
        Instant now = context.clock().instant();
        return Jdbc.inTransaction(context.database(), connection -> {
            Ticket ticket = visible(connection, request, caller);
            TicketStore tickets = new TicketStore(connection);
            if (!status.equals(ticket.status())) {
                tickets.setStatus(ticket.id(), status, now);
            }
            return RouteResponse.ok(tickets.byId(ticket.id()).orElseThrow().toJson());
        });
    }

    /** The ticket of the path's {@code ref}, if the caller may see it; 404 otherwise. */
    private static Ticket visible(Connection connection, RouteRequest request, Caller caller) throws SQLException {
        String ref = request.pathParameter("ref");
        return new TicketStore(connection).byRef(ref).filter(ticket -> caller.sees(ticket.mailboxId()))
                .orElseThrow(() -> new RouteException(404, "ticket_not_found", null, "no such ticket"));
    }

    static Map<String, Object> withMessages(Ticket ticket, List<TicketMessage> messages) {
        Map<String, Object> json = ticket.toJson();
        json.put("message_ids", messages.stream().map(TicketMessage::messageId).toList());
        json.put("messages", messages.stream().map(TicketMessage::toJson).toList());
        return json;
    }
}
