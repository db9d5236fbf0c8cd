package io.mailroom.plugins.ticketing;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.sink.TicketSink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ticketing} sink: files each inbound message on the ticket it answers or on a new
 * one (see {@link TicketFiling}), or leaves it flagged in the inbox for review when its sender is
 * unknown. A message on a ticket ends {@link Outcome.Status#DONE}, so the host moves it to the
 * mailbox's processed folder; one left for review ends {@link Outcome.Status#SKIPPED} with a
 * {@link Effect.Flag}.
 */
public final class TicketingSink implements TicketSink {

    @Override
    public String id() {
        return "ticketing";
    }

    @Override
    public String name() {
        return "Tickets";
    }

    @Override
    public List<SettingDescriptor> mailboxSettings() {
        return TicketSettings.descriptors();
    }

    @Override
    public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
        TicketSettings ticketSettings = TicketSettings.from(settings);
        MailboxInfo mailbox = context.mailboxes().find(message.mailboxId())
                .orElseThrow(() -> new PermanentException("mailbox " + message.mailboxId() + " does not exist"));
        RequesterLookup requesters = new RequesterLookup(context.directory());
        Filing filing = Jdbc.inTransaction(context.database(), connection ->
                new TicketFiling(connection, requesters, context.clock().instant())
                        .file(message, mailbox, ticketSettings));
        String followedUp = new Followups(context).settle(filing.ticket(), filing.filed(), mailbox,
                TicketFiling.senderOf(message).email(), ticketSettings.ackTemplateId(), ticketSettings.closedTemplateId());
        return outcome(filing, followedUp);
    }

    private static Outcome outcome(Filing filing, String followedUp) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", filing.decision());
        if (filing.leftInInbox()) {
            if (Filing.REVIEW.equals(filing.decision())) {
                return new Outcome(Outcome.Status.SKIPPED, "unknown sender: flagged and left for review", data)
                        .withEffects(new Effect.Flag());
            }
            return new Outcome(Outcome.Status.SKIPPED, "dismissed from the review list earlier", data);
        }
        Ticket ticket = filing.ticket();
        data.put("ticket_ref", ticket.ref());
        data.put("ticket_id", ticket.id());
        String detail = switch (filing.decision()) {
            case Filing.CREATED -> "opened ticket " + ticket.ref();
            case Filing.ADDED -> "added to ticket " + ticket.ref();
            case Filing.CLOSED_REPLY -> "filed on closed ticket " + ticket.ref() + ", not reopened";
            case Filing.DUPLICATE -> "the same mail is already on ticket " + ticket.ref();
            default -> "already filed on ticket " + ticket.ref();
        };
        return new Outcome(Outcome.Status.DONE, followedUp.isEmpty() ? detail : detail + "; " + followedUp, data);
    }
}
