package io.mailroom.plugins.ticketing;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.api.outbound.Templates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mail the plugin sends about a ticket: each answers a stored message (so the host sets the
 * threading headers and the recipient) and carries {@code [<ref>]} in its subject, so the answer to
 * it finds the ticket again. Automatic mail is marked {@code Auto-Submitted: auto-replied}
 * (RFC 3834) and keyed by the ticket event, so a redelivered message sends it once.
 */
final class TicketMail {

    static final String AUTO_REPLIED = "auto-replied";

    private final ExtensionContext context;

    TicketMail(ExtensionContext context) {
        this.context = context;
    }

    /** The acknowledgement of a new ticket, answering its first message. */
    OutgoingMail acknowledgement(Ticket ticket, long firstMessageId, Long templateId) {
        Templates.Rendered rendered = render(templateId, ticket).orElseGet(() -> new Templates.Rendered(ticket.subject(),
                "Thank you for your message. We have opened ticket " + ticket.ref() + " for it and will answer"
                        + " as soon as we can.\n\nPlease keep [" + ticket.ref() + "] in the subject when you write"
                        + " to us about it.\n", null));
        return automatic(ticket, firstMessageId, rendered, "ticketing:ack:" + ticket.id());
    }

    /** The answer to a message that replied to a closed ticket. */
    OutgoingMail closedResponse(Ticket ticket, long messageId, long ticketMessageId, Long templateId) {
        Templates.Rendered rendered = render(templateId, ticket).orElseGet(() -> new Templates.Rendered(ticket.subject(),
                "Ticket " + ticket.ref() + " is closed. Your message has been filed with it, but the ticket was"
                        + " not reopened.\n\nIf you need more help, please write to us in a new message.\n", null));
        return automatic(ticket, messageId, rendered, "ticketing:closed:" + ticketMessageId);
    }

    /** A person's reply on the ticket. */
    static OutgoingMail reply(Ticket ticket, long latestInboundId, String text, String html, String idempotencyKey) {
        return new OutgoingMail(ticket.mailboxId(), List.of(), List.of(), List.of(),
                SubjectRef.ensure(ticket.subject(), ticket.ref()), text, html, latestInboundId, false, null,
                idempotencyKey);
    }

    private OutgoingMail automatic(Ticket ticket, long replyTo, Templates.Rendered rendered, String key) {
        String subject = rendered.subject() == null || rendered.subject().isBlank() ? ticket.subject()
                : rendered.subject();
        return new OutgoingMail(ticket.mailboxId(), List.of(), List.of(), List.of(),
                SubjectRef.ensure(subject, ticket.ref()), rendered.text(), rendered.html(), replyTo, false,
                AUTO_REPLIED, key);
    }

    /** The template rendered for the ticket; empty (the built-in text) without one or when it was deleted. */
    private Optional<Templates.Rendered> render(Long templateId, Ticket ticket) {
        if (templateId == null) {
            return Optional.empty();
        }
        Optional<Templates.Rendered> rendered = context.templates().render(templateId, variables(ticket));
        if (rendered.isEmpty()) {
            context.logger(TicketMail.class).log(System.Logger.Level.WARNING,
                    "Template " + templateId + " does not exist; ticket " + ticket.ref() + " gets the built-in text");
        }
        return rendered;
    }

    /** What a template can use: {@code {{ref}}}, {@code {{subject}}}, {@code {{status}}}, {@code {{requester_name}}}… */
    static Map<String, Object> variables(Ticket ticket) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("ref", ticket.ref());
        variables.put("ticket_id", ticket.id());
        variables.put("subject", ticket.subject());
        variables.put("status", ticket.status());
        variables.put("requester_email", ticket.requesterEmail() == null ? "" : ticket.requesterEmail());
        variables.put("requester_name", ticket.requesterName() == null ? "" : ticket.requesterName());
        return variables;
    }
}
