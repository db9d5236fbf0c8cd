package io.mailroom.plugins.ticketing;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.outbound.OutgoingMail;

/**
 * Sends what a filed message is owed, after the filing was committed: the acknowledgement of a
 * new ticket, or the auto-response and the owner's notification for a reply to a closed ticket;
 * then clears the mark. A crash in between leaves the mark, and the redelivery sends again under
 * the same idempotency key, which the host's outbox turns into nothing (so: one mail).
 */
final class Followups {

    private final ExtensionContext context;
    private final TicketMail mail;

    Followups(ExtensionContext context) {
        this.context = context;
        this.mail = new TicketMail(context);
    }

    /** Sends what {@code filed} is owed, if anything; returns a sentence for the outcome, or empty. */
    String settle(Ticket ticket, TicketMessage filed, MailboxInfo mailbox, String sender, Long ackTemplateId,
                  Long closedTemplateId) {
        if (filed == null || filed.followup() == null) {
            return "";
        }
        String done;
        if (TicketMessage.ACKNOWLEDGE.equals(filed.followup())) {
            done = send(mail.acknowledgement(ticket, filed.messageId(), ackTemplateId), "acknowledged");
        } else {
            done = send(mail.closedResponse(ticket, filed.messageId(), filed.id(), closedTemplateId),
                    "answered that the ticket is closed");
            // a mailbox nobody owns (owner 0) has nobody to tell: the host refuses user 0, and
            // failing here would leave the filed reply failed and unmoved
            if (mailbox.ownerUserId() > 0) {
                context.notifier().notify(mailbox.ownerUserId(), mailbox.id(), "ticket_reply_to_closed",
                        "A reply to closed ticket " + ticket.ref() + " arrived from " + sender + ".");
            }
        }
        Jdbc.inTransaction(context.database(), connection -> {
            new TicketStore(connection).clearFollowup(filed.id());
            return null;
        });
        return done;
    }

    /**
     * A mail the host refuses as given (the mailbox has no SMTP settings) will be refused on every
     * retry: logged and given up, so the ticket is not held back by it.
     */
    private String send(OutgoingMail outgoing, String done) {
        try {
            context.outboundMail().send(outgoing);
            return done;
        } catch (IllegalArgumentException refused) {
            context.logger(Followups.class).log(System.Logger.Level.WARNING,
                    "Mailbox " + outgoing.mailboxId() + " cannot send " + outgoing.idempotencyKey() + ": "
                            + refused.getMessage());
            return "not " + done + ": " + refused.getMessage();
        }
    }
}
