package io.mailroom.plugins.ticketing;

import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.message.Address;
import io.mailroom.api.message.Classification;
import io.mailroom.api.message.MessageView;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Files one inbound message, inside the caller's transaction: on the ticket it answers, on a new
 * ticket, or on the review list. Exactly once: the message is recognised by its Mailroom id (a
 * redelivery or a reprocess) and by its Message-ID within the mailbox (the same mail in a second
 * folder), under a transaction lock on that Message-ID so two deliveries of one mail at the same
 * moment wait for each other; the unique indexes back this up.
 *
 * <p>Mail and notifications are not sent here but marked as owed on the filed message
 * ({@link TicketMessage#followup()}), and sent by {@link Followups} after the commit.
 */
final class TicketFiling {

    private final Connection connection;
    private final TicketStore tickets;
    private final ReviewStore reviews;
    private final RequesterLookup requesters;
    private final Instant now;

    TicketFiling(Connection connection, RequesterLookup requesters, Instant now) {
        this.connection = connection;
        this.tickets = new TicketStore(connection);
        this.reviews = new ReviewStore(connection);
        this.requesters = requesters;
        this.now = now;
    }

    Filing file(MessageView message, MailboxInfo mailbox, TicketSettings settings) throws SQLException {
        String header = MessageIds.normalize(message.messageId());
        // the conversation first, then the mail: a parent and its reply processed at the same
        // moment are filed one after the other, so the second finds the first's ticket
        lockConversation(connection, mailbox.id(), message, header);
        lockMail(connection, mailbox.id(), header, message.id());

        Optional<TicketMessage> seen = tickets.messageByMessageId(message.id());
        if (seen.isPresent()) {
            return new Filing(Filing.ALREADY_FILED, tickets.byId(seen.get().ticketId()).orElseThrow(), seen.get());
        }
        Optional<ReviewItem> reviewed = reviews.byMessageId(message.id());
        if (reviewed.isEmpty() && header != null) {
            reviewed = reviews.byHeader(mailbox.id(), header);
        }
        if (reviewed.isPresent()) {
            return reviewedAlready(reviewed.get());
        }
        if (header != null) {
            Optional<TicketMessage> sameMail = tickets.messageByHeader(mailbox.id(), header);
            if (sameMail.isPresent()) {
                return new Filing(Filing.DUPLICATE, tickets.byId(sameMail.get().ticketId()).orElseThrow(), null);
            }
        }

        Address sender = senderOf(message);
        // Never answer automatic mail, nor the mailbox's own address: either could start a mail loop.
        boolean mayAnswer = message.classification() == Classification.NORMAL && !sender.email().isEmpty()
                && !sender.email().equalsIgnoreCase(mailbox.email());
        List<String> parents = MessageIds.parentsOf(message);
        Optional<Ticket> answered = answeredTicket(message, mailbox, settings);
        if (answered.isPresent()) {
            Ticket ticket = answered.get();
            if (ticket.isOpen()) {
                TicketMessage filed = file(ticket, message.id(), header, parents, null);
                return new Filing(Filing.ADDED, ticket, filed);
            }
            TicketMessage filed = file(ticket, message.id(), header, parents,
                    mayAnswer ? TicketMessage.CLOSED_RESPONSE : null);
            return new Filing(Filing.CLOSED_REPLY, ticket, filed);
        }
        if (header != null && !sender.email().isEmpty()) {
            // a parent processed after its reply (one import, or the reply seen first in another
            // folder): it joins the ticket the reply opened, quietly, as the older mail it is
            Optional<Ticket> replied = tickets.byFiledReply(mailbox.id(), header, sender.email());
            if (replied.isPresent()) {
                return new Filing(Filing.ADDED, replied.get(), file(replied.get(), message.id(), header, parents, null));
            }
        }

        Optional<Requester> requester = requesters.find(sender, mailbox, settings.createForUnknownSenders());
        if (requester.isEmpty()) {
            reviews.add(new ReviewItem(message.id(), mailbox.id(), header, sender.email(), sender.name(),
                    message.subject() == null ? "" : message.subject(),
                    message.date() == null ? now : message.date(), ReviewItem.PENDING, settings.refPrefix(),
                    settings.acknowledge() && mayAnswer, settings.ackTemplateId(), null));
            return new Filing(Filing.REVIEW, null, null);
        }
        return create(mailbox.id(), settings.refPrefix(), message.subject(), requester.get(), message.id(), header,
                parents, settings.acknowledge() && mayAnswer);
    }

    /**
     * A new ticket with the message as its first; {@code parents}: the Message-IDs it answers;
     * {@code acknowledge}: an acknowledgement is owed.
     */
    Filing create(long mailboxId, String refPrefix, String subject, Requester requester, long messageId,
                  String header, List<String> parents, boolean acknowledge) throws SQLException {
        Ticket ticket = tickets.create(mailboxId, refPrefix, subject == null || subject.isBlank() ? "(no subject)"
                : subject.strip(), requester, now);
        TicketMessage filed = file(ticket, messageId, header, parents, acknowledge ? TicketMessage.ACKNOWLEDGE : null);
        return new Filing(Filing.CREATED, tickets.byId(ticket.id()).orElseThrow(), filed);
    }

    /** The ticket the message answers: by {@code [ref]} in the subject, else by In-Reply-To / References. */
    private Optional<Ticket> answeredTicket(MessageView message, MailboxInfo mailbox, TicketSettings settings)
            throws SQLException {
        Optional<String> ref = SubjectRef.find(message.subject(), settings.refPrefix());
        if (ref.isPresent()) {
            // Only this mailbox's tickets: a reference quoted to another mailbox must not show its
            // mail to this mailbox's owner.
            Optional<Ticket> byRef = tickets.byRef(ref.get()).filter(ticket -> ticket.mailboxId() == mailbox.id());
            if (byRef.isPresent()) {
                return byRef;
            }
        }
        return tickets.byMessageIdHeaders(mailbox.id(), MessageIds.parentsOf(message));
    }

    /** The sender; a message without a From has an empty address, which no directory entry matches. */
    static Address senderOf(MessageView message) {
        return message.from() != null ? message.from() : new Address("", "");
    }

    private Filing reviewedAlready(ReviewItem item) throws SQLException {
        return switch (item.state()) {
            case ReviewItem.PENDING -> new Filing(Filing.REVIEW, null, null);
            case ReviewItem.DISMISSED -> new Filing(Filing.DISMISSED, null, null);
            default -> item.ticketId() == null ? new Filing(Filing.DISMISSED, null, null)
                    : new Filing(Filing.DUPLICATE, tickets.byId(item.ticketId()).orElseThrow(), null);
        };
    }

    private TicketMessage file(Ticket ticket, long messageId, String header, List<String> parents, String followup)
            throws SQLException {
        return tickets.file(ticket, messageId, header, parents, TicketMessage.INBOUND, followup, now)
                .orElseThrow(() -> new SQLException("message " + messageId + " was filed at the same moment"));
    }

    /**
     * Serialises the filings of one conversation of the mailbox until the transaction ends: the
     * thread the host placed the message in, else the first Message-ID it names
     * ({@link MessageIds#rootOf}); nothing for a message that names none.
     */
    private static void lockConversation(Connection connection, long mailboxId, MessageView message, String header)
            throws SQLException {
        if (message.threadId() != null) {
            lock(connection, "ticketing:" + mailboxId + ":thread:" + message.threadId());
            return;
        }
        String root = MessageIds.rootOf(message, header);
        if (root != null) {
            lock(connection, "ticketing:" + mailboxId + ":root:<" + root + ">");
        }
    }

    /**
     * Serialises the work on one mail (same mailbox and Message-ID; by Mailroom id without one)
     * until the transaction ends: two deliveries, or a delivery and a review decision.
     */
    static void lockMail(Connection connection, long mailboxId, String header, long messageId) throws SQLException {
        lock(connection, "ticketing:" + mailboxId + ":" + (header != null ? "<" + header + ">" : "#" + messageId));
    }

    /** A lock on {@code key} until the transaction ends. */
    private static void lock(Connection connection, String key) throws SQLException {
        Jdbc.one(connection, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", row -> 1, key);
    }
}
