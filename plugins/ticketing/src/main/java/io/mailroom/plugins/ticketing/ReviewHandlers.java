package io.mailroom.plugins.ticketing;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.message.Address;
import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteRequest;
import io.mailroom.api.route.RouteResponse;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /tickets/review}: mail from unknown senders that made no ticket, and the decision on
 * one: {@code create} raises the ticket as if the sender had been known (acknowledged as the
 * mailbox's settings said when the mail came), {@code dismiss} drops it from the list. The message
 * stays where it is on the server either way: the host moved nothing, since the sink skipped it.
 */
final class ReviewHandlers {

    static final String CREATE = "create";
    static final String DISMISS = "dismiss";

    private ReviewHandlers() {
    }

    static RouteResponse list(RouteRequest request, ExtensionContext context) {
        int limit = RequestValues.limit(request);
        long after = RequestValues.queryId(request, "cursor").orElse(0L);
        Caller caller = Caller.of(request, context);
        return Jdbc.inTransaction(context.database(), connection -> {
            ReviewStore reviews = new ReviewStore(connection);
            List<ReviewItem> page = reviews.pending(caller.mailboxIds(), after, limit + 1);
            boolean more = page.size() > limit;
            List<ReviewItem> items = more ? page.subList(0, limit) : page;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items.stream().map(ReviewItem::toJson).toList());
            body.put("next_cursor", more ? Long.toString(items.getLast().messageId()) : null);
            body.put("total", reviews.countPending(caller.mailboxIds()));
            return RouteResponse.ok(body);
        });
    }

    static RouteResponse decide(RouteRequest request, ExtensionContext context) {
        long messageId = RequestValues.pathId(request, "message_id");
        String action = RequestValues.string(RequestValues.bodyObject(request), "action").orElse("");
        if (!CREATE.equals(action) && !DISMISS.equals(action)) {
            throw RouteException.badRequest("action", "action is create or dismiss");
        }
        Caller caller = Caller.of(request, context);
        Instant now = context.clock().instant();
        record Decided(ReviewItem item, Filing filing, MailboxInfo mailbox) {
        }
        Decided decided = Jdbc.inTransaction(context.database(), connection -> {
            ReviewStore reviews = new ReviewStore(connection);
            Optional<ReviewItem> found = reviews.byMessageId(messageId).filter(item -> caller.sees(item.mailboxId()));
            if (found.isEmpty()) {
                throw new RouteException(404, "review_item_not_found", null, "no such message on the review list");
            }
            TicketFiling.lockMail(connection, found.get().mailboxId(), found.get().messageIdHeader(), messageId);
            ReviewItem item = reviews.byMessageIdForUpdate(messageId).orElseThrow();
            if (!ReviewItem.PENDING.equals(item.state())) {
                throw RouteException.conflict("review_already_decided", "this message was " + item.state() + " already");
            }
            if (DISMISS.equals(action)) {
                reviews.decide(messageId, ReviewItem.DISMISSED, null, now);
                return new Decided(item, null, null);
            }
            MailboxInfo mailbox = context.mailboxes().find(item.mailboxId()).orElseThrow(() ->
                    RouteException.conflict("mailbox_gone", "the message's mailbox no longer exists"));
            RequesterLookup requesters = new RequesterLookup(context.directory());
            Requester requester = requesters.find(new Address(item.fromName(), item.fromEmail()), mailbox, true)
                    .orElseThrow();
            Filing filing = new TicketFiling(connection, requesters, now)
                    .create(mailbox.id(), item.refPrefix(), item.subject(), requester, item.messageId(),
                            item.messageIdHeader(), List.of(), item.acknowledge());
            reviews.decide(messageId, ReviewItem.CREATED, filing.ticket().id(), now);
            return new Decided(item, filing, mailbox);
        });
        if (decided.filing() == null) {
            Map<String, Object> body = decided.item().toJson();
            body.put("state", ReviewItem.DISMISSED);
            return RouteResponse.ok(body);
        }
        Filing filing = decided.filing();
        new Followups(context).settle(filing.ticket(), filing.filed(), decided.mailbox(), decided.item().fromEmail(),
                decided.item().ackTemplateId(), null);
        return RouteResponse.created(TicketHandlers.withMessages(filing.ticket(), List.of(filing.filed())));
    }
}
